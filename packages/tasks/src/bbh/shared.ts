// What the BBH-style tasks share: their reference, BBH's option letters and
// wording helpers, and the cast of people.
export const reference = 'Suzgun et al. 2022, Challenging BIG-Bench Tasks and Whether Chain-of-Thought Can Solve Them';
export const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const option = (i: number) => `(${letters[i]})`;
export const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');
export const optionsBlock = (texts: string[]) => `Options:\n${texts.map((t, i) => `${option(i)} ${t}`).join('\n')}`;
export const people = ['Alice', 'Bob', 'Claire', 'Dave', 'Eve', 'Fred', 'Gwen', 'Hank', 'Ida', 'Jack', 'Kate', 'Leo'];
