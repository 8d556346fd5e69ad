/**
 * Bootstrap: what the platform's stacks need before they exist, and what must outlive a region.
 *
 * - the S3 bucket that holds the Pulumi state (`pulumi login s3://<bucket>`), versioned, encrypted,
 *   TLS only, replicated with S3 Replication Time Control to a bucket in the replica region;
 * - a multi-Region KMS key, the stacks' secrets provider (`awskms://alias/…?region=…`), with its
 *   replica in the replica region: the same key material under the same key id, so a stack's
 *   secrets decrypt in either region (https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html).
 *
 * With the primary region lost, operators log in to the replica bucket and point the secrets
 * provider at the replica key (docs/regions.md, "Regions", "The state survives a region loss").
 * Run once per account, from this folder: `pulumi up --stack prod`; plan it offline with
 * `npm run plan -- --dir bootstrap [--stack prod]`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AWS_REGIONS } from "../config/regions";
import { ConfigError, ConfigProblem } from "../config/problems";
import { replicatedBucket } from "./bucket";

const config = new pulumi.Config();
const problems: ConfigProblem[] = [];
const region = (key: string): string => {
  const value = config.get(key);
  if (!value || !(AWS_REGIONS as readonly string[]).includes(value)) problems.push({ key: `bootstrap:${key}`, message: `expected an AWS region such as us-east-1, got ${value ?? "nothing"}` });
  return value ?? "";
};
const primaryRegion = region("primaryRegion");
const replicaRegion = region("replicaRegion");
if (primaryRegion && primaryRegion === replicaRegion) problems.push({ key: "bootstrap:replicaRegion", message: `expected a region other than bootstrap:primaryRegion (${primaryRegion}): the copy must survive that region's loss` });
const bucketName = config.get("bucketName") ?? "";
// S3 bucket naming rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
if (!/^[a-z0-9][a-z0-9-]{1,53}[a-z0-9]$/.test(bucketName)) problems.push({ key: "bootstrap:bucketName", message: `expected 3–55 lower-case letters, digits and hyphens (the replica adds "-replica"), got ${bucketName || "nothing"}` });
const keyAlias = config.get("keyAlias") ?? "alias/pulumi-secrets";
if (!/^alias\/[A-Za-z0-9/_-]+$/.test(keyAlias) || keyAlias.startsWith("alias/aws/")) problems.push({ key: "bootstrap:keyAlias", message: `expected alias/<name> (not alias/aws/…), got ${keyAlias}` });
const protect = config.getBoolean("protect") ?? true;
if (problems.length) throw new ConfigError(problems);

const tags = { env: pulumi.getStack(), project: "platform-bootstrap", "managed-by": "pulumi" };
const primary = new aws.Provider("primary", { region: primaryRegion as aws.Region, defaultTags: { tags } });
const replica = new aws.Provider("replica", { region: replicaRegion as aws.Region, defaultTags: { tags } });
const account = aws.getCallerIdentityOutput({}, { provider: primary }).accountId;
const partition = aws.getPartitionOutput({}, { provider: primary }).partition;
const kept = { protect, retainOnDelete: protect };

// The account administers the key through IAM (AWS's default key policy); the stacks' deploy and
// preview roles get kms:Decrypt/Encrypt on it by IAM policy (components/compute/ci.ts).
const keyPolicy = pulumi.jsonStringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` }, Action: "kms:*", Resource: "*" }],
});
const key = new aws.kms.Key(
  "secrets",
  {
    description: "Pulumi secrets provider of the platform's stacks (multi-Region: a replica in the replica region decrypts the same secrets)",
    multiRegion: true,
    // Rotation of a multi-Region key is set on the primary and shared by its replicas.
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: keyPolicy,
  },
  { provider: primary, ...kept },
);
const replicaKey = new aws.kms.ReplicaKey(
  "secrets-replica",
  { primaryKeyArn: key.arn, description: "Replica of the Pulumi secrets key", deletionWindowInDays: 30, policy: keyPolicy },
  { provider: replica, ...kept },
);
new aws.kms.Alias("secrets", { name: keyAlias, targetKeyId: key.arn }, { provider: primary });
new aws.kms.Alias("secrets-replica", { name: keyAlias, targetKeyId: replicaKey.arn }, { provider: replica });

const state = replicatedBucket("state", {
  bucketName,
  primary: { provider: primary, region: primaryRegion, kmsKeyArn: key.arn },
  replica: { provider: replica, region: replicaRegion, kmsKeyArn: replicaKey.arn },
  protect,
  account,
  partition,
});

/** `pulumi login` URL of the state, and of its replica for an outage of the primary region. */
export const backendUrl = pulumi.interpolate`s3://${state.bucket.bucket}?region=${primaryRegion}`;
export const replicaBackendUrl = pulumi.interpolate`s3://${state.replica.bucket}?region=${replicaRegion}`;
/** The stacks' `--secrets-provider`, and the same key through its replica. */
export const secretsProvider = `awskms://${keyAlias}?region=${primaryRegion}`;
export const replicaSecretsProvider = `awskms://${keyAlias}?region=${replicaRegion}`;
export const keyArns = { primary: key.arn, replica: replicaKey.arn };
