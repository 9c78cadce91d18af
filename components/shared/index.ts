export * from "./aws";
export * from "./iam";
export * from "./naming";
export * from "./tags";
