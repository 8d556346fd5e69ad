import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, Statement, policyDocument } from "./aws";

export interface CustomerKeyArgs {
  description: string;
  ctx: AwsContext;
  /** Extra key-policy statements (service principals that encrypt with this key). */
  statements?: pulumi.Input<Statement>[];
  /** Days before a deleted key is gone for good (7..30). */
  deletionWindowInDays?: number;
}

/**
 * A customer-managed symmetric key with yearly rotation. The key policy lets the account's IAM
 * policies govern use (the AWS default), plus any service statements the caller adds.
 */
export function customerKey(name: string, args: CustomerKeyArgs, opts: pulumi.CustomResourceOptions): aws.kms.Key {
  const parent = opts.parent!;
  const policy = policyDocument(parent, [
    {
      sid: "AccountAdministers",
      effect: "Allow",
      principals: [{ type: "AWS", identifiers: [pulumi.interpolate`arn:${args.ctx.partition}:iam::${args.ctx.accountId}:root`] }],
      actions: ["kms:*"],
      resources: ["*"],
    },
    ...(args.statements ?? []),
  ]);
  const key = new aws.kms.Key(
    name,
    {
      description: args.description,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: args.deletionWindowInDays ?? 30,
      policy,
    },
    opts,
  );
  new aws.kms.Alias(`${name}-alias`, { name: pulumi.interpolate`alias/${pulumi.getProject()}-${pulumi.getStack()}-${name}`, targetKeyId: key.keyId }, opts);
  return key;
}

/** Key-policy statement letting CloudWatch Logs in this region encrypt log groups of this account. */
export function logsKeyStatement(ctx: AwsContext): Statement {
  return {
    sid: "CloudWatchLogsEncrypt",
    effect: "Allow",
    principals: [{ type: "Service", identifiers: [pulumi.interpolate`logs.${ctx.region}.amazonaws.com`] }],
    actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    resources: ["*"],
    conditions: [
      {
        test: "ArnLike",
        variable: "kms:EncryptionContext:aws:logs:arn",
        values: [pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:*`],
      },
    ],
  };
}
