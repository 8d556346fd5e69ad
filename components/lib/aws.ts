import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Account, partition and region of the provider a component runs under (inherited from its parent). */
export interface AwsContext {
  /** The 12-digit account of the provider. */
  accountId: pulumi.Output<string>;
  /** Its partition: `aws`, `aws-us-gov` or `aws-cn` (ARNs start `arn:<partition>:`). */
  partition: pulumi.Output<string>;
  /** Its region, e.g. `us-east-1`. */
  region: pulumi.Output<string>;
}

/** `provider`: another region's provider than the one `parent` passes down. */
export function awsContext(parent: pulumi.Resource, provider?: pulumi.ProviderResource): AwsContext {
  const opts = { parent, provider };
  return {
    accountId: aws.getCallerIdentityOutput({}, opts).accountId,
    partition: aws.getPartitionOutput({}, opts).partition,
    region: aws.getRegionOutput({}, opts).region,
  };
}

/** One IAM statement in the shape `aws.iam.getPolicyDocument` takes. */
export type Statement = aws.types.input.iam.GetPolicyDocumentStatementArgs;

/** Renders statements to IAM JSON through the provider's own policy-document data source. */
export function policyDocument(parent: pulumi.Resource, statements: pulumi.Input<Statement>[]): pulumi.Output<string> {
  return aws.iam.getPolicyDocumentOutput({ statements }, { parent }).json;
}

/** Trust policy letting one AWS service assume a role, scoped to our account (confused-deputy guard). */
export function serviceTrustPolicy(parent: pulumi.Resource, service: string, ctx: AwsContext): pulumi.Output<string> {
  return policyDocument(parent, [
    {
      effect: "Allow",
      actions: ["sts:AssumeRole"],
      principals: [{ type: "Service", identifiers: [service] }],
      conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [ctx.accountId] }],
    },
  ]);
}
