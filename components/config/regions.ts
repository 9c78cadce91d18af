import { didYouMean } from "./suggest";

/**
 * The AWS regions envstack knows, with the letters of their Availability Zone names. Pinned like
 * the versions, and updated with releases: a region or AZ that is not here is refused at config
 * time rather than failing at apply. Which letters an account sees varies (AZ names map to
 * physical zones per account); these are every letter the region has.
 */
export const REGIONS: Readonly<Record<string, string>> = Object.freeze({
    "us-east-1": "abcdef",
    "us-east-2": "abc",
    "us-west-1": "abc",
    "us-west-2": "abcd",
    "af-south-1": "abc",
    "ap-east-1": "abc",
    "ap-east-2": "abc",
    "ap-south-1": "abc",
    "ap-south-2": "abc",
    "ap-southeast-1": "abc",
    "ap-southeast-2": "abc",
    "ap-southeast-3": "abc",
    "ap-southeast-4": "abc",
    "ap-southeast-5": "abc",
    "ap-southeast-6": "abc",
    "ap-southeast-7": "abc",
    "ap-northeast-1": "abcd",
    "ap-northeast-2": "abcd",
    "ap-northeast-3": "abc",
    "ca-central-1": "abd",
    "ca-west-1": "abc",
    "eu-central-1": "abc",
    "eu-central-2": "abc",
    "eu-west-1": "abc",
    "eu-west-2": "abc",
    "eu-west-3": "abc",
    "eu-south-1": "abc",
    "eu-south-2": "abc",
    "eu-north-1": "abc",
    "il-central-1": "abc",
    "me-south-1": "abc",
    "me-central-1": "abc",
    "mx-central-1": "abc",
    "sa-east-1": "abc",
    "us-gov-east-1": "abc",
    "us-gov-west-1": "abc",
    "cn-north-1": "ab",
    "cn-northwest-1": "abc",
});

/** Whether a region is one AWS has. */
export const isKnownRegion = (region: string) => Object.hasOwn(REGIONS, region);

/** The AZ names of a known region: eu-west-1a, eu-west-1b, ... */
export const zonesOf = (region: string): string[] => [...(REGIONS[region] ?? "")].map((letter) => `${region}${letter}`);

/** What a region must be, with the nearest known one for a slip of the keyboard. */
export const regionAllowed = (region: string) => `${didYouMean(region, Object.keys(REGIONS))}allowed: an AWS region that exists, like eu-west-1 or us-east-1 (${Object.keys(REGIONS).length} known; envstack's REGIONS lists them)`;
