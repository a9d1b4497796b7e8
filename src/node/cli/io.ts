/** Where a command writes: stdout (results), stderr (errors, progress), and the environment it reads. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Io {
  stdout: Output;
  stderr: Output;
  env: NodeJS.ProcessEnv;
  /** The current time, for a judgement without --now. */
  clock: () => Date;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, clock: () => new Date() };
}

/** JSON output: one document, dates as ISO strings (JSON.stringify's own), two-space indented. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
