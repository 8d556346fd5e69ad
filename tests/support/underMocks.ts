/**
 * Constructs one of the package's components under Pulumi's mock runtime, in a fresh process (run
 * through inChild), as a consumer that bypasses config/ would: what it throws, and the inputs of
 * each resource it registered.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Construction {
  /** The error the constructor threw, or undefined. */
  error?: string;
  /** Resources registered, as `type name` -> inputs. */
  resources: Record<string, Record<string, unknown>>;
}

const ENTRY: Record<string, string> = { Network: "network", Compute: "compute", Data: "data", Edge: "edge", Observability: "observability" };

export async function construct(component: string, args: Record<string, unknown>): Promise<Construction> {
  const resources: Construction["resources"] = {};
  await pulumi.runtime.setMocks(
    {
      newResource: (a) => {
        resources[`${a.type} ${a.name}`] = a.inputs;
        // awsx's Vpc is a remote component: the engine would answer with its outputs.
        const vpc = a.type === "awsx:ec2:Vpc" ? { vpcId: `${a.name}-id`, publicSubnetIds: [], privateSubnetIds: [], isolatedSubnetIds: [], routeTables: [], subnets: [], natGateways: [] } : {};
        return { id: `${a.name}-id`, state: { ...a.inputs, ...vpc } };
      },
      // What the data sources the components read answer, enough for any of them.
      call: () => ({ accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/x", partition: "aws", region: "eu-west-1", name: "eu-west-1", names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], json: "{}" }),
    },
    "consumer",
    "dev",
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(`@platform/components/${ENTRY[component]}`) as Record<string, new (name: string, args: unknown) => pulumi.ComponentResource>;
  try {
    new pkg[component](component.toLowerCase(), args);
  } catch (e) {
    return { error: (e as Error).message, resources };
  }
  // Let the registrations the constructor started reach the mocks.
  await new Promise((r) => setTimeout(r, 200));
  return { resources };
}
