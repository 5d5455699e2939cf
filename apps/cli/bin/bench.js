#!/usr/bin/env node
// `bench` from any folder: registers tsx's loader in this process and runs the
// TypeScript CLI here (no child process, so signals reach the run itself).
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/main.ts', import.meta.url).href);
