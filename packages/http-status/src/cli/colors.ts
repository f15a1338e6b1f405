/** ANSI styling for terminals, or none at all (piped output, NO_COLOR). */
export interface Colors {
  readonly enabled: boolean;
  green(text: string): string;
  cyan(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  magenta(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export function makeColors(enabled: boolean): Colors {
  const wrap = (open: number, close: number) => (text: string): string => (enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return {
    enabled,
    green: wrap(32, 39),
    cyan: wrap(36, 39),
    yellow: wrap(33, 39),
    red: wrap(31, 39),
    magenta: wrap(35, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

/** Colour for a status code (or an error when null). */
export function paintStatus(colors: Colors, status: number | null, text: string): string {
  if (status === null) return colors.magenta(text);
  if (status < 300) return colors.green(text);
  if (status < 400) return colors.cyan(text);
  if (status < 500) return colors.yellow(text);
  return colors.red(text);
}

/** Whether to colour a stream: a terminal, unless NO_COLOR is set (FORCE_COLOR forces it). */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}
