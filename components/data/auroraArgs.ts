import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../lib/aws";

/** Where one regional cluster lives: its subnets, security group, AZs and encryption key. */
export interface AuroraPlacement {
  /** Isolated subnets (no route to the internet). */
  subnetIds: pulumi.Input<string[]>;
  /** Security groups of the cluster (the Network's `db`). */
  securityGroupIds: pulumi.Input<string>[];
  /** AZs to pin instances to, in order: instance i goes to AZ i mod n. */
  availabilityZones: pulumi.Input<string[]>;
  /** Customer-managed key for storage, Performance Insights and the master secret. */
  kmsKeyArn: pulumi.Input<string>;
}

export interface AuroraGlobalArgs {
  /** Aurora PostgreSQL version; the parameter-group family follows the major. Minor versions never auto-upgrade. Example: `"16.6"`. */
  engineVersion: string;
  /** Instance class of every instance (`db.serverless` with `serverless` set). Example: `"db.r6g.large"`. */
  instanceClass: string;
  /** Serverless v2 capacity with `db.serverless`. Default: none (provisioned instances). */
  serverless?: ServerlessCapacity;
  /** Readers in the primary region besides the writer, 0–15. @default 0 */
  readers?: number;
  /** Database created in the cluster (a PostgreSQL identifier: a-z, 0-9, _, at most 63). @default "app" */
  databaseName?: string;
  /** Master user name, 1–16 of a-z, 0-9 and _, starting with a letter. @default "app_admin" */
  masterUsername?: string;
  /** Days of automated backups, 1–35. @default 7 */
  backupRetentionDays?: number;
  /** Daily backup window, `hh:mm-hh:mm` UTC; must not overlap the maintenance window. @default "03:00-04:00" */
  backupWindow?: string;
  /** Weekly maintenance window, `ddd:hh:mm-ddd:hh:mm` UTC. @default "sun:05:00-sun:06:00" */
  maintenanceWindow?: string;
  /** Performance Insights retention (KMS-encrypted): 7 (free), 31, 93, 186, 372 or 731 days. @default 7 */
  performanceInsightsRetentionDays?: number;
  /** Enhanced-monitoring interval: 0 (off), 1, 5, 10, 15, 30 or 60 seconds. @default 60 */
  monitoringIntervalSeconds?: number;
  /** Deletion protection, final snapshots, Pulumi protect and retain-on-delete. @default false */
  protect?: boolean;
  /** Account, partition and region of the primary cluster's provider (`awsContext`). */
  ctx: AwsContext;
  /** Where the primary (writer) cluster lives. */
  primary: AuroraPlacement;
  /** An RDS Proxy in front of the writer: its private subnets and security group. */
  proxy?: {
    /** Private subnets of the proxy. */
    subnetIds: pulumi.Input<string[]>;
    /** Security group of the proxy (Network's `proxy`). */
    securityGroupId: pulumi.Input<string>;
  };
  /**
   * The read-only, promotable cluster of the Global Database in another region. Without it the
   * cluster is a plain regional one (and RDS manages the master password, which AWS does not
   * support for clusters in a global database).
   */
  secondary?: AuroraPlacement & {
    /** AWS provider of the secondary region. */
    provider: aws.Provider;
    /** Readers of the secondary cluster, 0–15. */
    readers: number;
  };
  /** Replicate the master secret (global database only) to this region, under this key (a second application region's). */
  masterSecretReplica?: {
    /** Region of the replica, e.g. `us-west-2`. */
    region: pulumi.Input<string>;
    /** Key that region's replica is encrypted with. */
    kmsKeyId: pulumi.Input<string>;
  };
}

/** Serverless v2 capacity range. */
export interface ServerlessCapacity {
  /** Fewest ACUs, 0–256 (0 lets the cluster pause when idle). Example: `0.5`. */
  minAcu: number;
  /** Most ACUs, 1–256. Example: `4`. */
  maxAcu: number;
}
