import { PolicyResource } from "@pulumi/policy";
import { Props, Rule, ofType, resourceRule, stackRule } from "./lib";

const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
/** A year: the HSTS preload list's minimum max-age (https://hstspreload.org/#deployment-recommendations, read 2026-12-01). */
export const HSTS_MIN_AGE = 31536000;
/** CloudFront's managed SecurityHeadersPolicy, which sends HSTS for a year (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html). */
const MANAGED_SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03";
/** An S3 origin's domain: `<bucket>.s3.<region>.amazonaws.com` or the global `<bucket>.s3.amazonaws.com`. */
const S3_ORIGIN = /\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/;

const behaviours = (d: PolicyResource) => [d.props.defaultCacheBehavior, ...((d.props.orderedCacheBehaviors as unknown[] | undefined) ?? [])].filter(Boolean) as Props[];
const sendsHsts = (policy: PolicyResource) => {
  const hsts = ((policy.props.securityHeadersConfig as Props | undefined)?.strictTransportSecurity as Props | undefined) ?? undefined;
  return hsts !== undefined && Number(hsts.accessControlMaxAgeSec ?? 0) >= HSTS_MIN_AGE;
};

/**
 * CloudFront: every behaviour sends security headers with HSTS for a year or more, and S3
 * origins are read through origin access control (not the legacy origin access identity, not
 * a public bucket). Peer lists of 2026-12-01: checkov CKV_AWS_259, CKV2_AWS_32, 46; FSBP
 * CloudFront.13; cdk-nag CFR7, S5.
 */
export const cdnRules: Rule[] = [
  stackRule("cdn-security-headers", `Every CloudFront cache behaviour has a response headers policy that sends HSTS for ${HSTS_MIN_AGE} seconds or more.`, (resources, report) => {
    const policies = ofType(resources, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
    for (const d of ofType(resources, DISTRIBUTION)) {
      for (const b of behaviours(d)) {
        const id = b.responseHeadersPolicyId;
        const policy = policies.find((p) => p.props.id === id || p.props.name === id);
        const where = b === d.props.defaultCacheBehavior ? "default behaviour" : `behaviour ${String(b.pathPattern)}`;
        if (id === undefined) report(`${where} has no response headers policy`, d.urn);
        else if (id !== MANAGED_SECURITY_HEADERS && (!policy || !sendsHsts(policy))) report(`${where}: policy ${String(id)} does not send Strict-Transport-Security for a year or more`, d.urn);
      }
    }
  }),
  resourceRule("cdn-origin-access-control", "CloudFront reads S3 origins through origin access control.", [DISTRIBUTION], (p) =>
    ((p.origins as Props[] | undefined) ?? [])
      .filter((o) => S3_ORIGIN.test(String(o.domainName ?? "")) && !o.originAccessControlId)
      .map((o) => `origin ${String(o.originId)} reads an S3 bucket without originAccessControlId (the bucket would have to be public, or use the legacy OAI)`),
  ),
];
