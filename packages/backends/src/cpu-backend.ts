// The cpu backend: transformers.js on onnxruntime-node, in this process.
import type { BackendFactory } from './backend-factory.js';
import { locate } from './backend-factory.js';
import { runtimeVersions } from './runtime.js';
import { TransformersBackend } from './transformers-backend.js';

export const cpuBackend: BackendFactory = {
  id: 'cpu',
  accepts: (_spec, options) => options.device === 'cpu',
  async create(spec, options) {
    const tjs = await import('@huggingface/transformers');
    return TransformersBackend.create(tjs, spec, { ...options, runtime: runtimeVersions('cpu') }, locate(spec, options));
  },
};
