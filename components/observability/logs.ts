import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, awsContext, policyDocument, serviceTrustPolicy } from "../lib/aws";
import { rotatedBy } from "../lib/rotation";

export interface LogShippingArgs {
  /** Datadog's Firehose log intake for the organisation's site. */
  intakeUrl: string;
  /** Datadog API key: stored in Secrets Manager, which Firehose reads it from. */
  apiKey: pulumi.Input<string>;
  /** Log groups to ship, with the service each belongs to. */
  logGroups: { service: string; name: pulumi.Input<string> }[];
  /** Bucket for records Datadog did not accept, and the key it is encrypted with. */
  backupBucketArn: pulumi.Input<string>;
  backupKmsKeyArn: pulumi.Input<string>;
  /** Key for the stream, the API-key secret and the stream's own error log group. */
  kmsKeyArn: pulumi.Input<string>;
  logRetentionDays: number;
  /** Attributes Datadog adds to every log (env, ...). */
  attributes: Record<string, string>;
}

/**
 * CloudWatch Logs -> Amazon Data Firehose -> Datadog. One encrypted delivery stream posts to
 * Datadog's intake with the API key from Secrets Manager; records Datadog does not accept are kept
 * in the backup bucket. Each log group gets a subscription filter; CloudWatch Logs may put
 * records on this one stream only.
 */
export class LogShipping extends pulumi.ComponentResource {
  readonly streamArn: pulumi.Output<string>;
  readonly streamName: pulumi.Output<string>;
  readonly errorLogGroupName: pulumi.Output<string>;
  /** The secret holding Datadog's API key (its value is written by this program). */
  readonly apiKeySecretArn: pulumi.Output<string>;

  constructor(name: string, args: LogShippingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:LogShipping", name, {}, opts);
    const o = { parent: this };
    const ctx: AwsContext = awsContext(this);

    // Datadog issues the key; a new one reaches the secret from stack config on the next up (no rotation Lambda).
    const rotation = rotatedBy("deployment: pulumi config set --secret the Datadog API key - docs/runbooks/rotate-secrets.md");
    const secret = new aws.secretsmanager.Secret(`${name}-api-key`, { description: "Datadog API key Firehose delivers logs with", kmsKeyId: args.kmsKeyArn, tags: rotation }, o);
    // Firehose reads HTTP-endpoint keys from a JSON secret's `api_key`.
    new aws.secretsmanager.SecretVersion(`${name}-api-key`, { secretId: secret.id, secretString: pulumi.secret(pulumi.output(args.apiKey).apply((k) => JSON.stringify({ api_key: k }))) }, o);

    const errors = new aws.cloudwatch.LogGroup(`${name}-errors`, { retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn }, o);
    new aws.cloudwatch.LogStream(`${name}-errors`, { logGroupName: errors.name, name: "DestinationDelivery" }, o);

    const role = new aws.iam.Role(`${name}-firehose`, { assumeRolePolicy: serviceTrustPolicy(this, "firehose.amazonaws.com", ctx) }, o);
    new aws.iam.RolePolicy(
      `${name}-firehose`,
      {
        role: role.id,
        policy: policyDocument(this, [
          { sid: "BackupBucket", effect: "Allow", actions: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:ListBucket"], resources: [args.backupBucketArn, pulumi.interpolate`${args.backupBucketArn}/*`] },
          { sid: "BackupKey", effect: "Allow", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [args.backupKmsKeyArn] },
          { sid: "ApiKey", effect: "Allow", actions: ["secretsmanager:GetSecretValue"], resources: [secret.arn] },
          { sid: "ApiKeyDecrypt", effect: "Allow", actions: ["kms:Decrypt"], resources: [args.kmsKeyArn], conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: [pulumi.interpolate`secretsmanager.${ctx.region}.amazonaws.com`] }] },
          { sid: "DeliveryErrors", effect: "Allow", actions: ["logs:PutLogEvents"], resources: [pulumi.interpolate`${errors.arn}:*`] },
        ]),
      },
      o,
    );

    const stream = new aws.kinesis.FirehoseDeliveryStream(
      name,
      {
        destination: "http_endpoint",
        serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: args.kmsKeyArn },
        httpEndpointConfiguration: {
          name: "Datadog",
          url: args.intakeUrl,
          secretsManagerConfiguration: { enabled: true, secretArn: secret.arn, roleArn: role.arn },
          roleArn: role.arn,
          // Datadog recommends small buffers for logs: they show up within a minute.
          bufferingSize: 2,
          bufferingInterval: 60,
          retryDuration: 300,
          s3BackupMode: "FailedDataOnly",
          requestConfiguration: {
            contentEncoding: "GZIP",
            commonAttributes: Object.entries(args.attributes).map(([n, value]) => ({ name: n, value })),
          },
          s3Configuration: {
            roleArn: role.arn,
            bucketArn: args.backupBucketArn,
            prefix: "datadog-failed/",
            errorOutputPrefix: "datadog-errors/",
            compressionFormat: "GZIP",
            kmsKeyArn: args.backupKmsKeyArn,
          },
          cloudwatchLoggingOptions: { enabled: true, logGroupName: errors.name, logStreamName: "DestinationDelivery" },
        },
      },
      o,
    );

    // CloudWatch Logs (this region, this account) may put records on this stream and nothing else.
    const logsRole = new aws.iam.Role(
      `${name}-logs`,
      {
        assumeRolePolicy: policyDocument(this, [
          {
            effect: "Allow",
            actions: ["sts:AssumeRole"],
            principals: [{ type: "Service", identifiers: [pulumi.interpolate`logs.${ctx.region}.amazonaws.com`] }],
            conditions: [{ test: "StringLike", variable: "aws:SourceArn", values: [pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:*`] }],
          },
        ]),
      },
      o,
    );
    const logsPolicy = new aws.iam.RolePolicy(
      `${name}-logs`,
      { role: logsRole.id, policy: policyDocument(this, [{ effect: "Allow", actions: ["firehose:PutRecord", "firehose:PutRecordBatch"], resources: [stream.arn] }]) },
      o,
    );
    for (const group of args.logGroups) {
      new aws.cloudwatch.LogSubscriptionFilter(
        `${name}-${group.service}`,
        { logGroup: group.name, name: "datadog", filterPattern: "", destinationArn: stream.arn, roleArn: logsRole.arn },
        { ...o, dependsOn: [logsPolicy] },
      );
    }

    this.streamArn = stream.arn;
    this.apiKeySecretArn = secret.arn;
    this.streamName = stream.name;
    this.errorLogGroupName = errors.name;
    this.registerOutputs({ streamArn: this.streamArn });
  }
}
