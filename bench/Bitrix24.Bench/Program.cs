using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Bitrix24.Emulator;
using Bitrix24.Emulator.Server;
using Bitrix24.Rest.Batch;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

// dotnet run -c Release --project bench/Bitrix24.Bench [-- paced|latency|throughput|all] [--leads N]
// Prints one markdown table row per scenario: the figures recorded in bench/README.md.
var scenario = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all";
var leadsArg = Array.IndexOf(args, "--leads");
int? leadsOverride = leadsArg >= 0 ? int.Parse(args[leadsArg + 1]) : null;

var root = AppContext.BaseDirectory;
while (root != null && !File.Exists(Path.Combine(root, "Bitrix24.PowerShell.sln"))) root = Path.GetDirectoryName(root);
var module = Path.Combine(root!, "out", "Bitrix24");

Console.WriteLine("| scenario | leads | batch calls | wall s | minimum s | ratio | HTTP requests | 503s | leads/s |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
if (scenario is "paced" or "all") Paced("bucket 2/s burst 50, instant answers", leadsOverride ?? 5000, TimeSpan.Zero);
if (scenario is "latency" or "all") Paced("bucket 2/s burst 50, 500 ms per answer", leadsOverride ?? 5000, TimeSpan.FromMilliseconds(500));
if (scenario is "throughput" or "all") Throughput(leadsOverride ?? 20000);
if (scenario is "profile")   // the module alone, repeatedly: for a profiler
{
    var portal = NewPortal(20000);
    using var server = new EmulatorServer(portal);
    for (var i = 0; i < 5; i++) Console.WriteLine($"module: {RunModule(server, 20000, "-RateLimit 100000 -Burst 100000").Seconds:0.00} s");
}
return 0;

void Paced(string name, int leads, TimeSpan latency)
{
    var portal = NewPortal(leads);
    portal.Limits = PortalLimits.OtherPlans();
    portal.Latency = latency;
    using var server = new EmulatorServer(portal);
    var (wall, errors) = RunModule(server, leads, "-RateLimit 2 -Burst 50");
    var calls = (int)Math.Ceiling(leads / 50.0);
    var minimum = Math.Max(0, calls - portal.Limits.Burst) / portal.Limits.RequestsPerSecond.Value;
    Console.WriteLine($"| module, {name} | {leads} | {calls} | {wall:0.00} | {minimum:0.00} | {wall / minimum:0.000} | {portal.HttpRequestCount} | {portal.RateLimitedCount} | {leads / wall:0} |");
    if (errors > 0) Console.WriteLine($"  ({errors} errors)");
}

void Throughput(int leads)
{
    var portal = NewPortal(leads);
    using var server = new EmulatorServer(portal);
    RunModule(server, Math.Min(leads, 2000), "-RateLimit 100000 -Burst 100000");   // warm-up (JIT, connections)
    var best = 0.0;
    var bestWorkers = 0;
    foreach (var workers in new[] { 1, 2, 4, 8 })
    {
        portal.ClearLog();
        var seconds = RawPosting(server, leads, workers);
        var rate = leads / seconds;
        Console.WriteLine($"| raw batched HTTP posting, {workers} in flight, no limit | {leads} | {leads / 50} | {seconds:0.00} | | | {portal.HttpRequestCount} | {portal.RateLimitedCount} | {rate:0} |");
        if (rate > best) { best = rate; bestWorkers = workers; }
    }
    portal.ClearLog();
    var (wall, _) = RunModule(server, leads, "-RateLimit 100000 -Burst 100000");
    var moduleRate = leads / wall;
    Console.WriteLine($"| module (Set-B24Lead pipeline), no limit | {leads} | {leads / 50} | {wall:0.00} | | | {portal.HttpRequestCount} | {portal.RateLimitedCount} | {moduleRate:0} |");
    Console.WriteLine();
    Console.WriteLine($"Module throughput = {moduleRate / best:P1} of the best raw posting ({bestWorkers} in flight).");
}

EmulatedPortal NewPortal(int leads)
{
    var portal = new EmulatedPortal("benchSecret");
    portal.AddLeads(leads, i => new JObject { ["TITLE"] = "lead " + i, ["STATUS_ID"] = "NEW" });
    portal.ClearLog();
    return portal;
}

(double Seconds, int Errors) RunModule(EmulatorServer server, int leads, string connectOptions)
{
    var state = InitialSessionState.CreateDefault2();
    using var runspace = RunspaceFactory.CreateRunspace(state);
    runspace.Open();
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    // As a user does: connect (which reads the portal's field schema once), then run the edit. The
    // pause lets the bucket drain the connect's request, so the run starts with the full burst.
    ps.AddScript($"Import-Module '{module}'; Connect-Bitrix24 -WebhookUrl '{server.WebhookUrl}' {connectOptions}");
    ps.Invoke();
    if (ps.HadErrors) throw new Exception(string.Join("; ", ps.Streams.Error));
    System.Threading.Thread.Sleep(1000);
    server.Portal.ClearLog();
    // The input is made before the clock starts: what is timed is Set-B24Lead's work.
    var items = Enumerable.Range(1, leads).Select(id => (object)new Hashtable { ["ID"] = id, ["TITLE"] = "updated " + id, ["STATUS_ID"] = "IN_PROCESS" }).ToArray();
    runspace.SessionStateProxy.SetVariable("items", items);
    ps.Commands.Clear();
    ps.Streams.Error.Clear();
    ps.AddScript("$items | Set-B24Lead");
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var gcs = GC.CollectionCount(0);
    var clock = Stopwatch.StartNew();
    ps.Invoke();
    clock.Stop();
    if (Environment.GetEnvironmentVariable("BENCH_CPU") == "1")
        Console.WriteLine($"  module run: wall {clock.Elapsed.TotalSeconds:0.00} s, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} s, gen0 GCs {GC.CollectionCount(0) - gcs}");
    return (clock.Elapsed.TotalSeconds, ps.Streams.Error.Count);
}

double RawPosting(EmulatorServer server, int leads, int workers)
{
    var uri = new Uri(server.WebhookUrl + "batch");
    var bodies = new List<string>();
    for (var start = 1; start <= leads; start += 50)
    {
        var cmd = new JObject();
        for (var id = start; id < start + 50 && id <= leads; id++)
            cmd["c" + (id - start)] = BatchEncoding.EncodeCommand("crm.lead.update", new JObject
            {
                ["id"] = id,
                ["fields"] = new JObject { ["TITLE"] = "raw " + id, ["STATUS_ID"] = "IN_PROCESS" },
            });
        bodies.Add(new JObject { ["halt"] = 0, ["cmd"] = cmd }.ToString(Formatting.None));
    }
    using var http = new HttpClient();
    var next = -1;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var gcs = GC.CollectionCount(0);
    var clock = Stopwatch.StartNew();
    Task.WaitAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
    {
        int index;
        while ((index = System.Threading.Interlocked.Increment(ref next)) < bodies.Count)
        {
            using var response = await http.PostAsync(uri, new StringContent(bodies[index], Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsStringAsync();
        }
    })).ToArray());
    if (Environment.GetEnvironmentVariable("BENCH_CPU") == "1")
        Console.WriteLine($"  raw run: wall {clock.Elapsed.TotalSeconds:0.00} s, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} s, gen0 GCs {GC.CollectionCount(0) - gcs}");
    return clock.Elapsed.TotalSeconds;
}
