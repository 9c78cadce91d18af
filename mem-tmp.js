const {stackWithTeams}=require("/work/main/dist/tests/fixtures/teamsStack");
require("/work/main/dist/plan/lean").installLazyModules();
const {runPlan}=require("/work/main/dist/plan/run");
(async()=>{
 const cfg=stackWithTeams(Number(process.argv[2]||200));
 const r=await runPlan({projectDir:"/work/main",stack:"dev",configFile:cfg});
 if (r.failure) console.log(r.failure);
 global.gc && global.gc();
 const mu=process.memoryUsage();
 console.log("resources",r.resources.length,"heapUsed MiB",(mu.heapUsed/2**20).toFixed(0),"rss",(mu.rss/2**20).toFixed(0));
 console.log("recorded JSON MiB",(JSON.stringify(r.resources).length/2**20).toFixed(1));
 const st=require("/work/main/node_modules/@pulumi/pulumi/runtime/state").getStore();
 console.log("leak candidates", st.leakCandidates && st.leakCandidates.size);
 const mon=require("/work/main/node_modules/@pulumi/pulumi").runtime.getMonitor(); console.log("mock monitor resources", mon.resources && mon.resources.size);
 if (process.argv[3]) require("v8").writeHeapSnapshot(process.argv[3]);
})();
