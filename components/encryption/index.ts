export { EnvironmentKey, EnvironmentKeyArgs, environmentKeyPolicy } from "./environmentKey";
