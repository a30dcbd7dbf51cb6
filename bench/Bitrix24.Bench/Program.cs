// dotnet run -c Release --project bench/Bitrix24.Bench [-- paced|latency|throughput|client|pacing|entities|all] [--leads N]
// One file per scenario (PacedScenario.cs, ThroughputScenario.cs, ClientScenario.cs, PiecesScenario.cs,
// ServeScenario.cs, PacingScenarios.cs, EntitiesScenario.cs); Scenarios.cs, Posting.cs and Support.cs hold what they share.
// Prints markdown table rows: the figures recorded in bench/README.md. Also: "pieces" (the client
// library's stages alone, per lead), "library" (the client library alone, no PowerShell), "profile"
// (the module eight times against the portal process, for a profiler) and "serve"
// (the portal process the throughput scenario starts). BENCH_CPU=1 adds CPU, GC and allocation lines;
// BENCH_SCRIPT replaces the script the client scenario times (e.g. '$items | ForEach-Object { }').
var scenario = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all";
var leadsArg = Array.IndexOf(args, "--leads");
int? leadsOverride = leadsArg >= 0 ? int.Parse(args[leadsArg + 1]) : null;

var module = Scenarios.Module;

Console.WriteLine("| scenario | leads | batch calls | wall s | minimum s | ratio | HTTP requests | 503s | leads/s |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
if (scenario is "paced" or "all") Scenarios.Paced("bucket 2/s burst 50, instant answers", leadsOverride ?? 5000, TimeSpan.Zero);
if (scenario is "latency" or "all") Scenarios.Paced("bucket 2/s burst 50, 500 ms per answer", leadsOverride ?? 5000, TimeSpan.FromMilliseconds(500));
if (scenario is "throughput" or "all") Scenarios.Throughput(leadsOverride ?? 20000);
if (scenario is "client" or "all") Scenarios.ClientOnly(leadsOverride ?? 20000);
if (scenario is "entities") Scenarios.Entities(leadsOverride ?? 2000, 20000);
if (scenario is "serve") { Scenarios.Serve(leadsOverride ?? 20000); return 0; }
if (scenario is "pacing")
{
    Console.WriteLine("| pacing | leads | batch calls | wall s | minimum s | ratio | HTTP requests | 503s | edits |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
    PacingScenarios.RunAll(module);
}
if (scenario is "pieces") Scenarios.Pieces(20000);
if (scenario is "timeline") Scenarios.Timeline(leadsOverride ?? 2000);
if (scenario is "faults") Scenarios.Faults(leadsOverride ?? 2000);
if (scenario is "library")   // the client library alone, repeatedly (BENCH_CPU=1 for its CPU)
{
    using var portal = new PortalProcess(20000);
    for (var i = 0; i < 10; i++) { portal.ClearLog(); System.Threading.Thread.Sleep(1000); Console.WriteLine($"library: {Scenarios.LibraryPosting(portal.WebhookUrl, 20000, "library " + i % 2 + " "):0.00} s"); }
}
if (scenario is "profile")   // the module alone, repeatedly: for a profiler
{
    // The portal in its own process, as in the throughput scenario, so a profiler of this one sees the module only.
    using var portal = new PortalProcess(20000);
    // BENCH_SESSION=1: all runs in one session connected once (as at a console) instead of a fresh one each.
    using var session = Environment.GetEnvironmentVariable("BENCH_SESSION") == "1"
        ? new ModuleSession(module, portal.WebhookUrl, 20000, "-RateLimit 100000 -Burst 100000", "updated ") : null;
    for (var i = 0; i < 8; i++)
        Console.WriteLine($"module: {(session?.Run(portal.ClearLog) ?? Scenarios.RunModuleAt(portal.WebhookUrl, portal.ClearLog, 20000, "-RateLimit 100000 -Burst 100000")).Seconds:0.00} s");
}
return 0;
