import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, policyDocument } from "../lib/aws";
import { githubTrust } from "./ci";

export interface PublishRoleArgs {
  ctx: AwsContext;
  /** The account's GitHub OIDC provider (CiAccess's `providerArn`). */
  oidcProviderArn: pulumi.Input<string>;
  /** `owner/name` of the repository whose jobs publish. */
  repository: string;
  /** GitHub environment of the publishing job: the role trusts `repo:<repository>:environment:<environment>` only. */
  environment: string;
  /** Scoped npm package names the role may publish, e.g. `@platform/components`. */
  packages: string[];
  codeArtifact: { domainArn: pulumi.Input<string>; domain: pulumi.Input<string>; repositoryArn: pulumi.Input<string>; repository: pulumi.Input<string> };
}

/**
 * The role a tag-triggered workflow assumes to publish this repository's npm packages to the
 * CodeArtifact `internal` repository: a token for the domain, the repository's endpoint, and
 * PublishPackageVersion on exactly the named packages.
 *
 * IAM facts (https://docs.aws.amazon.com/codeartifact/latest/ug/auth-and-access-control-permissions-reference.html,
 * read 2026-11): a package ARN is `package/<domain>/<repository>/<format>/<namespace>/<name>`, and an
 * npm package's namespace is its scope (API_PackageDescription). That the scope appears without
 * its `@` in the ARN is unverified: check the first publish's CloudTrail entry. `npm publish` also writes
 * the package's metadata (PutPackageMetadata); `aws codeartifact login` needs GetAuthorizationToken
 * on the domain and sts:GetServiceBearerToken for codeartifact.amazonaws.com.
 */
export function publishRole(parent: pulumi.Resource, name: string, args: PublishRoleArgs, opts: pulumi.CustomResourceOptions = {}): aws.iam.Role {
  const { ctx, codeArtifact: ca } = args;
  const role = new aws.iam.Role(
    name,
    { assumeRolePolicy: githubTrust(parent, args.oidcProviderArn, [`repo:${args.repository}:environment:${args.environment}`]), maxSessionDuration: 3600 },
    { ...opts, parent },
  );
  const packageArns = args.packages.map((p) => {
    const [scope, pkg] = p.slice(1).split("/");
    return pulumi.interpolate`arn:${ctx.partition}:codeartifact:${ctx.region}:${ctx.accountId}:package/${ca.domain}/${ca.repository}/npm/${scope}/${pkg}`;
  });
  new aws.iam.RolePolicy(
    name,
    {
      role: role.id,
      policy: policyDocument(parent, [
        { sid: "CodeArtifactToken", effect: "Allow", actions: ["codeartifact:GetAuthorizationToken"], resources: [ca.domainArn] },
        {
          sid: "CodeArtifactBearer",
          effect: "Allow",
          actions: ["sts:GetServiceBearerToken"],
          resources: ["*"],
          conditions: [{ test: "StringEquals", variable: "sts:AWSServiceName", values: ["codeartifact.amazonaws.com"] }],
        },
        { sid: "RepositoryEndpoint", effect: "Allow", actions: ["codeartifact:GetRepositoryEndpoint"], resources: [ca.repositoryArn] },
        { sid: "PublishPackages", effect: "Allow", actions: ["codeartifact:PublishPackageVersion", "codeartifact:PutPackageMetadata"], resources: packageArns },
      ]),
    },
    { ...opts, parent },
  );
  return role;
}
