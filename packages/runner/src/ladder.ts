// A validated ladder made ready to run: duplicate ids and impossible default
// dtypes rejected against the file, models sorted by size.
import { UserError, type Ladder } from '@emergence/core';

export function prepareLadder(ladder: Ladder, file: string): Ladder {
  const ids = new Set<string>();
  ladder.models.forEach((m, i) => {
    if (ids.has(m.id)) throw new UserError(`model id "${m.id}" appears twice`, { file, pointer: `/models/${i}/id` });
    ids.add(m.id);
    if (m.defaultDtype && !m.dtypes.includes(m.defaultDtype)) {
      throw new UserError(`defaultDtype "${m.defaultDtype}" is not in dtypes [${m.dtypes.join(', ')}]`, { file, pointer: `/models/${i}/defaultDtype` });
    }
  });
  // Seeds of one size must be one size: a group with different parameter counts is a typo.
  const firstOf = new Map<string, number>();
  ladder.models.forEach((m, i) => {
    if (m.group === undefined) return;
    const j = firstOf.get(m.group);
    if (j === undefined) return void firstOf.set(m.group, i);
    const first = ladder.models[j]!;
    if (first.params !== m.params || first.nonEmbeddingParams !== m.nonEmbeddingParams) {
      throw new UserError(`group "${m.group}" holds seeds of one size, but ${m.id} and ${first.id} have different parameter counts`, {
        file,
        pointer: `/models/${i}/params`,
        hint: 'give seeds the same params and nonEmbeddingParams, or different groups',
      });
    }
  });
  // The ladder is evaluated, tabled and plotted in order of size on the default
  // axis (non-embedding parameters); a wide one-layer model can have more
  // embedding, hence more total parameters, than a narrower two-layer one.
  return { ...ladder, file, models: [...ladder.models].sort((a, b) => a.nonEmbeddingParams - b.nonEmbeddingParams || a.params - b.params) };
}
