import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext } from "../lib/aws";
import { CiAccess } from "./ci";
import { publishRole } from "./publishing";
import { packageRepositories } from "./registries";
import { CiSettings } from "./types";
import { withCiDefaults } from "./defaults";

/** What application pipelines deploy in one region (a Compute's `deployTargets`). */
export interface DeployTargets {
  /** The region, e.g. `us-east-1`. */
  region: pulumi.Input<string>;
  /** ARN of the region's ECS cluster. */
  clusterArn: pulumi.Input<string>;
  /** Name of the region's ECS cluster. */
  clusterName: pulumi.Input<string>;
  /** ECR repositories the pipelines push to (the primary's). */
  repositoryArns: pulumi.Input<string>[];
  /** ECR repositories that receive replicas (the standby's): pipelines only wait for an image there. */
  replicaRepositoryArns?: pulumi.Input<string>[];
  /** Execution and task roles the pipelines pass when registering task definitions. */
  taskRoleArns: pulumi.Input<string>[];
  /** `family:*` ARNs of task definitions the pipelines may run (the migration). */
  runnableFamilyArns: pulumi.Input<string>[];
}

export interface DeliveryArgs {
  /** Prefix of account-unique names: `<project>-<stack>`; the CodeArtifact domain is named after it. */
  prefix: string;
  /** The GitHub environment whose jobs may deploy (see CiAccess); the program names it after the stack. Example: `"prod"`. */
  environment: string;
  /** Pulumi protect on the CodeArtifact domain and the internal repository (published packages). @default false */
  protect?: boolean;
  /** GitHub Actions access: repositories, branch, OIDC provider, state backend, package publishing. */
  ci: CiSettings;
  /** Key for the CodeArtifact domain (the primary region's Compute key). */
  kmsKeyArn: pulumi.Input<string>;
  /** Every region's deploy targets, primary first. */
  regions: DeployTargets[];
  /**
   * URN of the component that owned these resources before they were account-wide (the primary
   * region's Compute), so a deployed stack updates them in place instead of replacing them. Leave
   * it out in a new program.
   */
  previousParent?: pulumi.Input<string>;
}

/**
 * Each Delivery's CiAccess child, kept off the class's own properties: the schema analyzer
 * describes every property as an output, and cannot describe a component of ours.
 */
/** Delivery's own defaults (its `ci` takes CI_DEFAULTS). */
export const DELIVERY_DEFAULTS = { protect: false } satisfies Partial<DeliveryArgs>;

const ciAccess = new WeakMap<Delivery, CiAccess>();

/**
 * Account-wide delivery, built once however many regions there are: the CodeArtifact domain and
 * repositories (in the primary region), and GitHub Actions access (OIDC provider, preview, deploy
 * and application roles) over every region's services.
 */
export class Delivery extends pulumi.ComponentResource {
  /** Name of the CodeArtifact domain (`<prefix>`). */
  readonly codeArtifactDomain: pulumi.Output<string>;
  /** Role of pull-request previews and the drift check (stack output `ciRoleArns.preview`). */
  readonly previewRoleArn: pulumi.Output<string>;
  /** Role of the deploy workflow. */
  readonly deployRoleArn: pulumi.Output<string>;
  /** Role of application pipelines (the reusable service deploy). */
  readonly applicationRoleArn: pulumi.Output<string>;
  /** Role of the workflow that publishes npm packages (when `ci.publish` is set). */
  readonly publishRole?: aws.iam.Role;

  constructor(name: string, args: DeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:Delivery", name, {}, opts);
    const ctx = awsContext(this);
    const moved = args.previousParent ? { aliases: [{ parent: args.previousParent }] } : {};
    const packages = packageRepositories(this, args.prefix, args.kmsKeyArn, args.protect ?? DELIVERY_DEFAULTS.protect, moved);
    const ci = new CiAccess(
      // The name it had as a child of Compute.
      "compute-ci",
      {
        ...withCiDefaults(args.ci),
        environment: args.environment,
        ctx,
        application: {
          repositoryArns: args.regions.flatMap((r) => r.repositoryArns),
          replicaRepositoryArns: args.regions.flatMap((r) => r.replicaRepositoryArns ?? []),
          codeArtifact: {
            domainArn: packages.domain.arn,
            domain: packages.domain.domain,
            repositoryArns: [packages.internal.arn, packages.npmStore.arn],
            internalRepository: packages.internal.repository,
          },
          clusters: args.regions.map((r) => ({ region: r.region, arn: r.clusterArn, name: r.clusterName })),
          taskRoleArns: args.regions.flatMap((r) => r.taskRoleArns),
          runnableFamilyArns: args.regions.flatMap((r) => r.runnableFamilyArns),
        },
      },
      { parent: this, ...moved },
    );
    ciAccess.set(this, ci);
    this.codeArtifactDomain = packages.domain.domain;
    [this.previewRoleArn, this.deployRoleArn, this.applicationRoleArn] = [ci.previewRole.arn, ci.deployRole.arn, ci.applicationRole.arn];
    if (args.ci.publish) {
      this.publishRole = publishRole(this, `${name}-publish`, {
        ctx,
        oidcProviderArn: ci.providerArn,
        repository: args.ci.repository,
        ...args.ci.publish,
        codeArtifact: { domainArn: packages.domain.arn, domain: packages.domain.domain, repositoryArn: packages.internal.arn, repository: packages.internal.repository },
      });
    }
    this.registerOutputs({ codeArtifactDomain: this.codeArtifactDomain, publishRoleArn: this.publishRole?.arn });
  }

  /** GitHub Actions access: its roles, and the grants other components add (grantPreviewRead, failoverRole). */
  get ci(): CiAccess {
    return ciAccess.get(this)!;
  }
}
