import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface Repository {
  arn: pulumi.Output<string>;
  url: pulumi.Output<string>;
}

/**
 * ECR repositories, one per image: immutable tags (a release is never overwritten), scanned on
 * push, KMS-encrypted, keeping the last `keep` releases and expiring untagged layers after a day.
 */
export function imageRepositories(
  parent: pulumi.Resource,
  prefix: string,
  images: string[],
  args: { kmsKeyArn: pulumi.Input<string>; keep: number; protect: boolean },
): Record<string, Repository> {
  const repositories: Record<string, Repository> = {};
  for (const image of [...new Set(images)].sort()) {
    const repo = new aws.ecr.Repository(
      `${prefix}-${image}`,
      {
        name: `${prefix}/${image}`,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
        forceDelete: !args.protect,
      },
      { parent, protect: args.protect },
    );
    new aws.ecr.LifecyclePolicy(`${prefix}-${image}`, { repository: repo.name, policy: JSON.stringify(lifecyclePolicy(args.keep)) }, { parent });
    repositories[image] = { arn: repo.arn, url: repo.repositoryUrl };
  }
  return repositories;
}

export function lifecyclePolicy(keep: number) {
  return {
    rules: [
      {
        rulePriority: 1,
        description: "Expire untagged images after a day",
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `Keep the last ${keep} releases`,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
        action: { type: "expire" },
      },
    ],
  };
}

export interface Packages {
  domain: aws.codeartifact.Domain;
  /** Proxy of the public npm registry. */
  npmStore: aws.codeartifact.Repository;
  /** The team's packages; reads fall through to npm-store. */
  internal: aws.codeartifact.Repository;
}

/** CodeArtifact domain (customer key) with an npm proxy repository and an internal one on top of it. */
export function packageRepositories(
  parent: pulumi.Resource,
  name: string,
  kmsKeyArn: pulumi.Input<string>,
  protect: boolean,
  moved: Pick<pulumi.CustomResourceOptions, "aliases"> = {},
): Packages {
  const opts = { parent, ...moved };
  const domain = new aws.codeartifact.Domain(name, { domain: name, encryptionKey: kmsKeyArn }, { ...opts, protect });
  const npmStore = new aws.codeartifact.Repository(
    `${name}-npm-store`,
    { domain: domain.domain, repository: "npm-store", description: "Proxy of the public npm registry", externalConnections: { externalConnectionName: "public:npmjs" } },
    opts,
  );
  const internal = new aws.codeartifact.Repository(
    `${name}-internal`,
    { domain: domain.domain, repository: "internal", description: "The team's npm packages", upstreams: [{ repositoryName: npmStore.repository }] },
    { ...opts, protect },
  );
  return { domain, npmStore, internal };
}
