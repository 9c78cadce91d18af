require("/work/main/dist/plan/lean").installLazyModules();
const {runPlan}=require("/work/main/dist/plan/run");
let peak=0, peakRss=0; const t=setInterval(()=>{const m=process.memoryUsage(); peak=Math.max(peak,m.heapUsed); peakRss=Math.max(peakRss,m.rss);},20);
(async()=>{
 const r=await runPlan({projectDir:"/work/main",stack:"dev",configFile:process.argv[2]});
 clearInterval(t);
 console.log("resources",r.resources.length,"peak heapUsed MiB",(peak/2**20).toFixed(0),"peak rss", (peakRss/2**20).toFixed(0), "recorded JSON MiB",(JSON.stringify(r.resources).length/2**20).toFixed(1));
})();
