export { GpuSupport, GpuSupportArgs, GPU_SUPPORT_NAMESPACE } from "./gpuSupport";
