import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, Statement, policyDocument } from "../lib/aws";
import { FailoverRoleArgs, failoverStatements } from "./failoverRole";
import { ResolvedCi } from "./defaults";

export type { FailoverRoleArgs } from "./failoverRole";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

export interface CiAccessArgs extends ResolvedCi {
  environment: string;
  ctx: AwsContext;
  /** What application pipelines may touch. */
  application: {
    repositoryArns: pulumi.Input<string>[];
    /** Repositories that receive replicas: the pipelines may only see whether an image has arrived. */
    replicaRepositoryArns: pulumi.Input<string>[];
    codeArtifact: { domainArn: pulumi.Input<string>; domain: pulumi.Input<string>; repositoryArns: pulumi.Input<string>[]; internalRepository: pulumi.Input<string> };
    /** The ECS cluster of each region the services run in (primary first). */
    clusters: { region: pulumi.Input<string>; arn: pulumi.Input<string>; name: pulumi.Input<string> }[];
    /** Execution and task roles the pipelines pass when registering task definitions. */
    taskRoleArns: pulumi.Input<string>[];
    /** Family ARNs (`family:*`) of task definitions pipelines may run directly (the migration). */
    runnableFamilyArns: pulumi.Input<string>[];
  };
}

/**
 * GitHub Actions OIDC: a role to preview this stack (read-only, pull requests and the deploy
 * branch), a role to deploy it (jobs in the GitHub environment named after the stack's), and a role for
 * application pipelines (push images and packages, register task definitions, deploy services,
 * run the migration task). Every trust pins the audience and the repository's subject.
 */
export class CiAccess extends pulumi.ComponentResource {
  readonly previewRole: aws.iam.Role;
  readonly deployRole: aws.iam.Role;
  readonly applicationRole: aws.iam.Role;

  constructor(name: string, args: CiAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:CiAccess", name, {}, opts);
    const parent = { parent: this };
    const { ctx } = args;
    const providerArn = args.createOidcProvider
      ? new aws.iam.OpenIdConnectProvider(name, { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: ["sts.amazonaws.com"] }, parent).arn
      : pulumi.interpolate`arn:${ctx.partition}:iam::${ctx.accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;

    // Deploying jobs run in the GitHub environment named after the stack's environment (`dev`,
    // `prod`), and a job that names an environment gets the subject `repo:R:environment:NAME`, never
    // the branch one (https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims).
    // The environment's own rules (deployment branches, reviewers) say who may run those jobs.
    const deploySubject = (repo: string) => `repo:${repo}:environment:${args.environment}`;
    const role = (kind: string, subjects: string[]) =>
      new aws.iam.Role(`${name}-${kind}`, { assumeRolePolicy: githubTrust(this, providerArn, subjects), maxSessionDuration: 3600 }, parent);

    this.previewRole = role("preview", [`repo:${args.repository}:pull_request`, `repo:${args.repository}:ref:refs/heads/${args.branch}`]);
    new aws.iam.RolePolicyAttachment(`${name}-preview`, { role: this.previewRole.name, policyArn: pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/ReadOnlyAccess` }, parent);
    if (args.state) {
      new aws.iam.RolePolicy(`${name}-preview-state`, { role: this.previewRole.id, policy: policyDocument(this, stateReadStatements(ctx, args.state)) }, parent);
    }

    this.deployRole = role("deploy", [deploySubject(args.repository)]);
    new aws.iam.RolePolicyAttachment(`${name}-deploy`, { role: this.deployRole.name, policyArn: pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/PowerUserAccess` }, parent);
    // PowerUserAccess has no IAM; the program manages roles, their policies and the OIDC provider.
    new aws.iam.RolePolicy(
      `${name}-deploy-iam`,
      {
        role: this.deployRole.id,
        policy: policyDocument(this, [
          {
            sid: "ManageRoles",
            effect: "Allow",
            actions: [
              "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole",
              "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
              "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListInstanceProfilesForRole", "iam:PassRole",
            ],
            resources: [pulumi.interpolate`arn:${ctx.partition}:iam::${ctx.accountId}:role/*`],
          },
          {
            sid: "ManageOidcProvider",
            effect: "Allow",
            actions: ["iam:CreateOpenIDConnectProvider", "iam:GetOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:TagOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint"],
            resources: [pulumi.interpolate`arn:${ctx.partition}:iam::${ctx.accountId}:oidc-provider/${GITHUB_OIDC_HOST}`],
          },
          { sid: "ServiceLinkedRoles", effect: "Allow", actions: ["iam:CreateServiceLinkedRole"], resources: [pulumi.interpolate`arn:${ctx.partition}:iam::${ctx.accountId}:role/aws-service-role/*`] },
        ]),
      },
      parent,
    );

    this.applicationRole = role("application", args.applicationRepositories.map(deploySubject));
    new aws.iam.RolePolicy(`${name}-application`, { role: this.applicationRole.id, policy: policyDocument(this, applicationStatements(args)) }, parent);
    this.registerOutputs({ previewRoleArn: this.previewRole.arn, deployRoleArn: this.deployRole.arn, applicationRoleArn: this.applicationRole.arn });
    this.baseName = name;
    this.ctx = ctx;
    this.providerArn = providerArn;
    this.settings = args;
  }

  private readonly baseName: string;
  private readonly ctx: AwsContext;
  /** The account's GitHub OIDC provider, for roles other components trust GitHub with (publishing.ts). */
  readonly providerArn: pulumi.Input<string>;
  private readonly settings: CiAccessArgs;

  /**
   * The role `failover.yml` assumes (jobs in the `prod` environment): exactly what
   * `npm run failover` calls, each scoped to this platform's resources (tools/failover/steps.ts).
   * No state read: the workflow takes the outputs from the `prod` environment's variable and the
   * Cloudflare token from its secret, never from the backend in the home region.
   */
  failoverRole(name: string, args: FailoverRoleArgs): aws.iam.Role {
    const ctx = this.ctx;
    const role = new aws.iam.Role(
      `${this.baseName}-${name}`,
      { assumeRolePolicy: githubTrust(this, this.providerArn, [`repo:${this.settings.repository}:environment:${this.settings.environment}`]), maxSessionDuration: 3600 },
      { parent: this },
    );
    new aws.iam.RolePolicy(`${this.baseName}-${name}`, { role: role.id, policy: policyDocument(this, failoverStatements(ctx, args)) }, { parent: this });
    return role;
  }

  /**
   * Lets the preview role call what the program's data sources call at plan time beyond
   * ReadOnlyAccess: actions without resource types only (they are granted on "*"), e.g.
   * `secretsmanager:GetRandomPassword`. `tools/plan/invokePermissions.ts` checks every invoke a
   * plan records against the role.
   */
  grantPreviewActions(name: string, actions: string[]): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(
      `${this.baseName}-preview-invokes-${name}`,
      { role: this.previewRole.id, policy: policyDocument(this, [{ sid: "PlanTimeDataSources", effect: "Allow", actions, resources: ["*"] }]) },
      { parent: this },
    );
  }

  /**
   * Lets the preview role read back secrets whose values this program writes: refreshing an
   * `aws.secretsmanager.SecretVersion` calls GetSecretValue, which ReadOnlyAccess does not grant,
   * and decrypting them needs their key, through Secrets Manager only. Call it once per component
   * that owns such secrets (`name` tells the policies apart).
   */
  grantPreviewRead(name: string, grant: { secretArns: pulumi.Input<string>[]; kmsKeyArns: pulumi.Input<string>[] }): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(
      `${this.baseName}-preview-read-${name}`,
      {
        role: this.previewRole.id,
        policy: policyDocument(this, [
          { sid: "ReadManagedSecrets", effect: "Allow", actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], resources: grant.secretArns },
          {
            sid: "DecryptManagedSecrets",
            effect: "Allow",
            actions: ["kms:Decrypt"],
            resources: grant.kmsKeyArns,
            // Through Secrets Manager only, in whichever region the secret (or its replica) lives.
            conditions: [{ test: "StringLike", variable: "kms:ViaService", values: ["secretsmanager.*.amazonaws.com"] }],
          },
        ]),
      },
      { parent: this },
    );
  }
}

/**
 * What `pulumi preview` (and a refresh inside it) needs of a self-managed S3 backend: read the
 * stack's state, decrypt it when the bucket encrypts with a customer key, and decrypt the stack's
 * secrets with the `awskms://` secrets-provider key. A DIY-backend preview takes no lock
 * (pulumi/pulumi#8642), so nothing is written. The key is matched by its alias
 * (`kms:ResourceAliases`, https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases):
 * the CLI decrypts with the ciphertext alone, so the request names no alias.
 */
function stateReadStatements(ctx: AwsContext, state: NonNullable<ResolvedCi["state"]>): Statement[] {
  // The replica (bootstrap/) holds the same checkpoints, for when the state's region is lost.
  const buckets = [state.bucket, ...(state.replicaBucket ? [state.replicaBucket] : [])].map((b) => pulumi.interpolate`arn:${ctx.partition}:s3:::${b}`);
  // A multi-Region key's replicas share its id: the replica bucket's objects decrypt with the same key id in its region.
  const multiRegion = state.bucketKmsKeyArn?.includes(":key/mrk-") ?? false;
  return [
    { sid: "ListState", effect: "Allow", actions: ["s3:ListBucket", "s3:GetBucketLocation"], resources: buckets },
    { sid: "ReadState", effect: "Allow", actions: ["s3:GetObject", "s3:GetObjectVersion"], resources: buckets.map((b) => pulumi.interpolate`${b}/*`) },
    {
      sid: "DecryptStackSecrets",
      effect: "Allow",
      actions: ["kms:Decrypt", "kms:DescribeKey"],
      // Every region: the secrets key's replica carries the same alias (bootstrap/).
      resources: [pulumi.interpolate`arn:${ctx.partition}:kms:*:${ctx.accountId}:key/*`],
      conditions: [{ test: "ForAnyValue:StringEquals", variable: "kms:ResourceAliases", values: [state.secretsKeyAlias] }],
    },
    ...(state.bucketKmsKeyArn
      ? [
          {
            sid: "DecryptStateObjects",
            effect: "Allow",
            actions: ["kms:Decrypt"],
            resources: [multiRegion ? state.bucketKmsKeyArn.replace(/:kms:[a-z0-9-]+:/, ":kms:*:") : state.bucketKmsKeyArn],
            conditions: [
              multiRegion
                ? { test: "StringLike", variable: "kms:ViaService", values: ["s3.*.amazonaws.com"] }
                : { test: "StringEquals", variable: "kms:ViaService", values: [pulumi.interpolate`s3.${ctx.region}.amazonaws.com`] },
            ],
          },
        ]
      : []),
  ];
}

/** Web-identity trust for GitHub's OIDC tokens: audience sts.amazonaws.com, subject one of `subjects`. */
export function githubTrust(parent: pulumi.Resource, providerArn: pulumi.Input<string>, subjects: string[]): pulumi.Output<string> {
  return policyDocument(parent, [
    {
      effect: "Allow",
      actions: ["sts:AssumeRoleWithWebIdentity"],
      principals: [{ type: "Federated", identifiers: [providerArn] }],
      conditions: [
        { test: "StringEquals", variable: `${GITHUB_OIDC_HOST}:aud`, values: ["sts.amazonaws.com"] },
        { test: "StringEquals", variable: `${GITHUB_OIDC_HOST}:sub`, values: subjects },
      ],
    },
  ]);
}

function applicationStatements(args: CiAccessArgs): pulumi.Input<Statement>[] {
  const { ctx, application: app } = args;
  // Per region: `service/<cluster>/*` and the like, in that cluster's region.
  const ecs = (kind: string) => app.clusters.map((c) => pulumi.interpolate`arn:${ctx.partition}:ecs:${c.region}:${ctx.accountId}:${kind}/${c.name}/*`);
  const onCluster = [{ test: "ArnEquals", variable: "ecs:cluster", values: app.clusters.map((c) => c.arn) }];
  return [
    // These actions have no resource-level permissions in IAM.
    { sid: "Unscoped", effect: "Allow", actions: ["ecr:GetAuthorizationToken", "ecs:DescribeTaskDefinition"], resources: ["*"] },
    // RegisterTaskDefinition takes the task-definition resource (required): the platform's families are
    // `<cluster>-<service>` (task.ts), any revision
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html, read 2026-12-01).
    {
      sid: "RegisterTaskDefinitions",
      effect: "Allow",
      actions: ["ecs:RegisterTaskDefinition"],
      resources: app.clusters.map((c) => pulumi.interpolate`arn:${ctx.partition}:ecs:${c.region}:${ctx.accountId}:task-definition/${c.name}-*:*`),
    },
    {
      sid: "PushImages",
      effect: "Allow",
      actions: ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchGetImage", "ecr:DescribeImages"],
      resources: app.repositoryArns,
    },
    ...(app.replicaRepositoryArns.length
      ? [{ sid: "SeeReplicatedImages", effect: "Allow", actions: ["ecr:DescribeImages"], resources: app.replicaRepositoryArns }]
      : []),
    { sid: "CodeArtifactToken", effect: "Allow", actions: ["codeartifact:GetAuthorizationToken"], resources: [app.codeArtifact.domainArn] },
    {
      sid: "CodeArtifactBearer",
      effect: "Allow",
      actions: ["sts:GetServiceBearerToken"],
      resources: ["*"],
      conditions: [{ test: "StringEquals", variable: "sts:AWSServiceName", values: ["codeartifact.amazonaws.com"] }],
    },
    { sid: "CodeArtifactRead", effect: "Allow", actions: ["codeartifact:GetRepositoryEndpoint", "codeartifact:ReadFromRepository"], resources: app.codeArtifact.repositoryArns },
    {
      sid: "CodeArtifactPublish",
      effect: "Allow",
      actions: ["codeartifact:PublishPackageVersion", "codeartifact:PutPackageMetadata"],
      resources: [pulumi.interpolate`arn:${ctx.partition}:codeartifact:${ctx.region}:${ctx.accountId}:package/${app.codeArtifact.domain}/${app.codeArtifact.internalRepository}/npm/*`],
    },
    {
      sid: "DeployServices",
      effect: "Allow",
      actions: ["ecs:UpdateService", "ecs:DescribeServices"],
      resources: ecs("service"),
    },
    {
      sid: "WatchDeployments",
      effect: "Allow",
      actions: ["ecs:ListServiceDeployments", "ecs:DescribeServiceDeployments", "ecs:DescribeServiceRevisions"],
      resources: [...ecs("service"), ...ecs("service-deployment"), ...ecs("service-revision")],
    },
    { sid: "RunMigration", effect: "Allow", actions: ["ecs:RunTask"], resources: app.runnableFamilyArns, conditions: onCluster },
    { sid: "WatchTasks", effect: "Allow", actions: ["ecs:DescribeTasks"], resources: ecs("task") },
    {
      sid: "PassTaskRoles",
      effect: "Allow",
      actions: ["iam:PassRole"],
      resources: app.taskRoleArns,
      conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
    },
  ];
}
