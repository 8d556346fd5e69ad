import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext } from "../../lib/aws";
import { customerKey } from "../../lib/kms";
import { AuroraGlobal, AuroraGlobalArgs } from "./aurora";

export { AuroraGlobal } from "./aurora";

/** Subnets, AZs and the database security group of one region's network. */
export interface DataPlacement {
  isolatedSubnetIds: pulumi.Input<string[]>;
  availabilityZones: pulumi.Input<string[]>;
  dbSecurityGroupId: pulumi.Input<string>;
}

export interface DataArgs {
  /** Deletion protection, final snapshots, Pulumi protect and retain-on-delete on stateful resources. */
  protect: boolean;
  /** Aurora settings (placement, keys and protection are filled in by this component). */
  aurora: Omit<AuroraGlobalArgs, "ctx" | "primary" | "secondary" | "protect"> & { secondaryReaders: number };
  primary: DataPlacement;
  /** The secondary region of the Global Database: its provider and its isolated-only network. */
  secondary?: DataPlacement & { provider: aws.Provider };
}

/**
 * The stateful layer: customer-managed KMS keys in each region and the Aurora PostgreSQL
 * (Global) Database.
 */
export class Data extends pulumi.ComponentResource {
  readonly aurora: AuroraGlobal;
  /** Customer key of the primary region, for other encrypted data (secrets, queues, logs). */
  readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: DataArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:Data", name, {}, opts);
    const ctx = awsContext(this);
    const keyOpts = { parent: this, protect: args.protect };
    const key = customerKey(`${name}-primary`, { description: `${name}: Aurora, Performance Insights and secrets (primary region)`, ctx }, keyOpts);

    const { secondaryReaders, ...aurora } = args.aurora;
    let secondary: AuroraGlobalArgs["secondary"];
    if (args.secondary) {
      const s = args.secondary;
      const secondaryKey = customerKey(
        `${name}-secondary`,
        { description: `${name}: Aurora secondary cluster`, ctx },
        { ...keyOpts, provider: s.provider },
      );
      secondary = {
        provider: s.provider,
        readers: secondaryReaders,
        subnetIds: s.isolatedSubnetIds,
        securityGroupIds: [s.dbSecurityGroupId],
        availabilityZones: s.availabilityZones,
        kmsKeyArn: secondaryKey.arn,
      };
    }

    this.aurora = new AuroraGlobal(
      `${name}-aurora`,
      {
        ...aurora,
        protect: args.protect,
        ctx,
        primary: {
          subnetIds: args.primary.isolatedSubnetIds,
          securityGroupIds: [args.primary.dbSecurityGroupId],
          availabilityZones: args.primary.availabilityZones,
          kmsKeyArn: key.arn,
        },
        secondary,
      },
      { parent: this },
    );
    this.kmsKeyArn = key.arn;
    this.registerOutputs({ kmsKeyArn: this.kmsKeyArn });
  }
}
