import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, serviceTrustPolicy } from "../lib/aws";
import { withBackupDefaults } from "./defaults";

export interface BackupsArgs {
  /** ARNs of the resources to back up (the primary Aurora cluster). */
  resourceArns: pulumi.Input<string>[];
  /** Days each daily recovery point is kept, in the vault and its copy, 35–3650. */
  retentionDays: number;
  /** AWS Backup schedule expression (UTC), `cron(...)`. @default "cron(0 5 * * ? *)" */
  schedule?: string;
  /** Key of the primary vault. */
  kmsKeyArn: pulumi.Input<string>;
  /** Where each recovery point is copied: another region's provider and key. */
  copyTo: {
    /** AWS provider of the copy's region. */
    provider: aws.Provider;
    /** Key of the copy vault, in that region. */
    kmsKeyArn: pulumi.Input<string>;
  };
  /** Account, partition and region of the primary vault's provider (`awsContext`). */
  ctx: AwsContext;
}

/**
 * AWS Backup for the database: daily recovery points in an encrypted, locked vault, each copied
 * to a locked vault in the secondary region. Global replication copies a bad write or a
 * ransomware encryption faithfully; these immutable copies are what survives that.
 */
export class Backups extends pulumi.ComponentResource {
  constructor(name: string, args: BackupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:Backups", name, {}, opts);
    const resolved = withBackupDefaults(args);
    const o = { parent: this };
    const kept = { parent: this, protect: true, retainOnDelete: true };
    const lock = (vault: aws.backup.Vault, suffix: string, provider?: aws.Provider) =>
      // Governance for the first 3 days, then compliance mode: nobody, root included, can shorten it.
      new aws.backup.VaultLockConfiguration(
        `${name}-${suffix}`,
        { backupVaultName: vault.name, minRetentionDays: resolved.retentionDays, maxRetentionDays: resolved.retentionDays * 4, changeableForDays: 3 },
        { ...o, ...(provider ? { provider } : {}) },
      );

    const vault = new aws.backup.Vault(`${name}-primary`, { kmsKeyArn: resolved.kmsKeyArn }, kept);
    lock(vault, "primary");
    const copyVault = new aws.backup.Vault(`${name}-copy`, { kmsKeyArn: resolved.copyTo.kmsKeyArn }, { ...kept, provider: resolved.copyTo.provider });
    lock(copyVault, "copy", resolved.copyTo.provider);

    const plan = new aws.backup.Plan(
      name,
      {
        rules: [
          {
            ruleName: "daily",
            targetVaultName: vault.name,
            schedule: resolved.schedule,
            startWindow: 60,
            completionWindow: 360,
            lifecycle: { deleteAfter: resolved.retentionDays },
            copyActions: [{ destinationVaultArn: copyVault.arn, lifecycle: { deleteAfter: resolved.retentionDays } }],
          },
        ],
      },
      o,
    );
    const role = new aws.iam.Role(
      `${name}-backup`,
      {
        assumeRolePolicy: serviceTrustPolicy(this, "backup.amazonaws.com", resolved.ctx),
        managedPolicyArns: [
          pulumi.interpolate`arn:${resolved.ctx.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup`,
          pulumi.interpolate`arn:${resolved.ctx.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores`,
        ],
      },
      o,
    );
    new aws.backup.Selection(name, { planId: plan.id, iamRoleArn: role.arn, resources: resolved.resourceArns }, o);
    this.registerOutputs({});
  }
}
