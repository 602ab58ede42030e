import { parseArgs, type ParseArgsConfig } from "node:util";

/** A command line the user can correct; the command prints it and exits 1. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;
type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * Node's own parser, strict: unknown options, positional arguments, a missing value, a value
 * that looks like an option (`--json --markdown x`) and an option given twice (unless it is
 * `multiple`) are refused with a UsageError naming the argument.
 */
export function parseCommandLine(argv: readonly string[], options: Options): Values {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false, tokens: true });
  } catch (error) {
    throw new UsageError(usageMessage(error as Error & { code?: string }));
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== "option") continue;
    if (seen.has(token.name) && !options[token.name]?.multiple) throw new UsageError(`--${token.name} is given more than once`);
    seen.add(token.name);
  }
  return parsed.values as Values;
}

function usageMessage(error: Error & { code?: string }): string {
  const first = error.message.split("\n")[0];
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option "${quoted(first)}"`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument "${quoted(first)}"; every argument is an --option`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const option = /'(?:-\w, )?(--?[\w-]+)/.exec(first)?.[1] ?? "an option";
      if (/ambiguous/.test(first)) return `${option} needs a value, got the option that follows it instead (write ${option}=VALUE for a value starting with "-")`;
      if (/does not take an argument/.test(first)) return `${option} takes no value`;
      return `${option} needs a value`;
    }
    default:
      return first;
  }
}

const quoted = (message: string) => /'([^']*)'/.exec(message)?.[1] ?? message;
