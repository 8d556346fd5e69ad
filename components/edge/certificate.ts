import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";

/** ValidatedCertificate's defaults. */
export const CERTIFICATE_DEFAULTS = { wildcard: false } satisfies Partial<ValidatedCertificateArgs>;

export interface ValidatedCertificateArgs {
  /** Name the certificate is for; `*.domainName` is added when `wildcard` is set. */
  domainName: string;
  /** Cover `*.domainName` too. @default false */
  wildcard?: boolean;
  /** Cloudflare zone the DNS-validation records go into. */
  zoneId: pulumi.Input<string>;
  /**
   * A certificate for the same names in another region whose validation records this one uses
   * instead of creating its own. ACM's validation CNAME for a name depends on the name and the
   * account, not the region (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html),
   * and Cloudflare refuses a second identical record. Default: create the records.
   */
  sharesValidationWith?: ValidatedCertificate;
}

/**
 * An ACM certificate validated through DNS records in the Cloudflare zone (never proxied:
 * ACM must see the CNAME itself). `arn` resolves only once ACM has issued the certificate, so a
 * listener or distribution that uses it waits for validation. Region comes from the AWS
 * provider passed in (us-east-1 for CloudFront).
 */
export class ValidatedCertificate extends pulumi.ComponentResource {
  /** ARN of the issued certificate. */
  readonly arn: pulumi.Output<string>;
  readonly certificate: aws.acm.Certificate;
  /** FQDNs of the validation records ACM checks (for another region's certificate of the same names). */
  readonly validationRecordFqdns: pulumi.Output<string>[];

  constructor(name: string, args: ValidatedCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:edge:ValidatedCertificate", name, {}, opts);
    const names = (args.wildcard ?? CERTIFICATE_DEFAULTS.wildcard) ? [args.domainName, `*.${args.domainName}`] : [args.domainName];
    this.certificate = new aws.acm.Certificate(
      name,
      {
        domainName: args.domainName,
        subjectAlternativeNames: names.slice(1),
        validationMethod: "DNS",
        keyAlgorithm: "EC_prime256v1",
        options: { certificateTransparencyLoggingPreference: "ENABLED" },
      },
      { parent: this },
    );
    // example.com and *.example.com share one validation record, so there is one per base name.
    const bases = [...new Set(names.map((n) => n.replace(/^\*\./, "")))];
    const records = args.sharesValidationWith ? [] : bases.map((base, i) => {
      const option = this.certificate.domainValidationOptions.apply((options) => {
        const found = options.find((o) => o.domainName === base);
        if (!found) throw new Error(`certificate ${name}: ACM returned no validation record for ${base}`);
        return found;
      });
      return new cloudflare.DnsRecord(
        `${name}-validation-${i}`,
        {
          zoneId: args.zoneId,
          name: option.apply((o) => o.resourceRecordName!.replace(/\.$/, "")),
          type: option.apply((o) => o.resourceRecordType!),
          content: option.apply((o) => o.resourceRecordValue!.replace(/\.$/, "")),
          ttl: 60,
          proxied: false,
          comment: `ACM validation for ${base}`,
        },
        { parent: this },
      );
    });
    this.validationRecordFqdns = args.sharesValidationWith?.validationRecordFqdns ?? records.map((r) => r.name);
    const validation = new aws.acm.CertificateValidation(
      name,
      { certificateArn: this.certificate.arn, validationRecordFqdns: this.validationRecordFqdns },
      { parent: this },
    );
    this.arn = validation.certificateArn;
    this.registerOutputs({ arn: this.arn });
  }
}
