import type { TerraformJson } from "./synth";

type Block = Record<string, any>;
type Lookup = ((type: string, id: string) => Block) & { readonly key: (type: string, id: string) => string };

/**
 * The edge module's resources of one stack, by type and construct id (`edge_<id>_<hash>`):
 * `edge("aws_lb", "load-balancer")`. A missing resource fails the test with its name.
 */
export function edgeOf(tf: TerraformJson): Lookup {
  return scoped(tf, "edge");
}

/** Any resource of a stack by its construct path prefix, e.g. `network_public-subnet-0`. */
export function byAddress(tf: TerraformJson): Lookup {
  return scoped(tf, "");
}

function scoped(tf: TerraformJson, module: string): Lookup {
  const key = (type: string, id: string): string => {
    const prefix = module ? `${module}_${id}_` : `${id}_`;
    const found = Object.keys(tf.resource[type] ?? {}).filter((name) => name.startsWith(prefix) && /^[0-9A-F]{8}$/.test(name.slice(prefix.length)));
    if (found.length !== 1) throw new Error(`expected one ${type} ${prefix}<hash>, found ${found.length}`);
    return found[0];
  };
  const lookup = ((type: string, id: string) => tf.resource[type][key(type, id)]) as Lookup;
  return Object.assign(lookup, { key });
}

/** The `${type.name.attr}` reference to a resource found by `lookup`. */
export function ref(lookup: Lookup, type: string, id: string, attribute = "id"): string {
  return `\${${type}.${lookup.key(type, id)}.${attribute}}`;
}
