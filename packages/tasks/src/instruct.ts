// Instruction following: the same small tasks asked zero-shot with an
// instruction, or few-shot with no instruction (Wei et al. 2022, FLAN), so
// instruction-tuned and base ladders can be compared.
import type { Task } from '@emergence/core';
import { wordList } from './words.js';
import { defineTask } from './define.js';

const reference = 'Wei et al. 2022, Finetuned Language Models Are Zero-Shot Learners (FLAN)';

function instructTask(name: string, description: string, instruction: string, answer: (word: string) => string, maxTokens: number): Task {
  return defineTask({
    id: `instruct/${name}`,
    version: 1,
    kind: 'generate',
    description: `${description} (option instruction: with an instruction, or demonstrations only)`,
    reference,
    defaults: { instruction: true },
    chance: () => 0,
    generation: { until: ['\n'], maxTokens },
    template: { input: (input) => `Input: ${input}\nOutput:` },
    preamble: (options) => (options.instruction ? instruction : ''),
    make(rng) {
      const word = rng.pick(wordList);
      return { input: word, target: answer(word) };
    },
  });
}

export const reverseWord = instructTask('reverse-word', 'write the word backwards', 'Write the input word backwards, letter by letter.', (w) => [...w].reverse().join(''), 14);
export const uppercase = instructTask('uppercase', 'write the word in capital letters', 'Write the input word in capital letters.', (w) => w.toUpperCase(), 14);
export const countLetters = instructTask('count-letters', 'count the letters of the word', 'Count the letters of the input word and answer with a number.', (w) => String(w.length), 3);

export const instructTasks: Task[] = [reverseWord, uppercase, countLetters];
