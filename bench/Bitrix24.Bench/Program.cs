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

// dotnet run -c Release --project bench/Bitrix24.Bench [-- paced|latency|throughput|client|all] [--leads N]
// Prints markdown table rows: the figures recorded in bench/README.md. Also: "pieces" (the client
// library's stages alone, per lead), "library" (the client library alone, no PowerShell), "profile"
// (the module eight times against the portal process, for a profiler) and "serve"
// (the portal process the throughput scenario starts). BENCH_CPU=1 adds CPU, GC and allocation lines;
// BENCH_SCRIPT replaces the script the client scenario times (e.g. '$items | ForEach-Object { }').
var scenario = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all";
var leadsArg = Array.IndexOf(args, "--leads");
int? leadsOverride = leadsArg >= 0 ? int.Parse(args[leadsArg + 1]) : null;

var ShowCpu = Environment.GetEnvironmentVariable("BENCH_CPU") == "1";
var root = AppContext.BaseDirectory;
while (root != null && !File.Exists(Path.Combine(root, "Bitrix24.PowerShell.sln"))) root = Path.GetDirectoryName(root);
var module = Path.Combine(root!, "out", "Bitrix24");

Console.WriteLine("| scenario | leads | batch calls | wall s | minimum s | ratio | HTTP requests | 503s | leads/s |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
if (scenario is "paced" or "all") Paced("bucket 2/s burst 50, instant answers", leadsOverride ?? 5000, TimeSpan.Zero);
if (scenario is "latency" or "all") Paced("bucket 2/s burst 50, 500 ms per answer", leadsOverride ?? 5000, TimeSpan.FromMilliseconds(500));
if (scenario is "throughput" or "all") Throughput(leadsOverride ?? 20000);
if (scenario is "client" or "all") ClientOnly(leadsOverride ?? 20000);
if (scenario is "serve") { Serve(leadsOverride ?? 20000); return 0; }
if (scenario is "pacing")
{
    Console.WriteLine("| pacing | leads | batch calls | wall s | minimum s | ratio | HTTP requests | 503s | edits |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
    PacingScenarios.RunAll(module);
}
if (scenario is "pieces") Pieces(20000);
if (scenario is "library")   // the client library alone, repeatedly (BENCH_CPU=1 for its CPU)
{
    using var portal = new PortalProcess(20000);
    for (var i = 0; i < 10; i++) { portal.ClearLog(); System.Threading.Thread.Sleep(1000); Console.WriteLine($"library: {LibraryPosting(portal.WebhookUrl, 20000, "library " + i % 2 + " "):0.00} s"); }
}
if (scenario is "profile")   // the module alone, repeatedly: for a profiler
{
    // The portal in its own process, as in the throughput scenario, so a profiler of this one sees the module only.
    using var portal = new PortalProcess(20000);
    // BENCH_SESSION=1: all runs in one session connected once (as at a console) instead of a fresh one each.
    using var session = Environment.GetEnvironmentVariable("BENCH_SESSION") == "1"
        ? new ModuleSession(module, portal.WebhookUrl, 20000, "-RateLimit 100000 -Burst 100000", "updated ") : null;
    for (var i = 0; i < 8; i++)
        Console.WriteLine($"module: {(session?.Run(portal.ClearLog) ?? RunModuleAt(portal.WebhookUrl, portal.ClearLog, 20000, "-RateLimit 100000 -Burst 100000")).Seconds:0.00} s");
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
    // The portal runs in a process of its own, as a real one does on its own machine: the two share
    // this machine's cores but not a garbage-collected heap, so the portal's collections (its lead store
    // is large) do not pause the client and the client's do not pause the portal.
    using var portal = new PortalProcess(leads);
    // Also, for context: the module in one PowerShell session that stays open (connected once), as an
    // admin runs it at a console, besides the fresh session per run that a script started anew has.
    using var session = new ModuleSession(Path.Combine(root!, "out", "Bitrix24"), portal.WebhookUrl, leads, "-RateLimit 100000 -Burst 100000", "session ");
    // Every timed run starts after the portal has been idle for the same second (a module run has that
    // pause after its connect), with the portal's counters cleared.
    double Timed(Func<double> run)
    {
        portal.ClearLog();
        System.Threading.Thread.Sleep(1000);
        return WithPortalFigures(run, "");
    }
    // A module run pauses and clears the portal itself, after its connect (so the portal's CPU includes it).
    double Module() => WithPortalFigures(() => RunModuleAt(portal.WebhookUrl, portal.ClearLog, leads, "-RateLimit 100000 -Burst 100000").Seconds, " (module, portal cpu with the connect)");
    double WithPortalFigures(Func<double> run, string label)
    {
        var portalCpu = portal.Cpu;
        var seconds = run();
        if (ShowCpu) Console.WriteLine($"    {seconds:0.00} s{label}: portal cpu {(portal.Cpu - portalCpu).TotalSeconds:0.00} s, serving {portal.Stats().Serving.TotalSeconds:0.00} s, portal GCs {portal.LastGc}");
        return seconds;
    }

    // Warm-up: every path runs in full first, so the JIT's tiered compilation (which promotes hot
    // methods in the background, on the same two cores) is done before anything counts. It also picks
    // the raw baseline: the number of requests in flight whose warm-up runs had the best median.
    var warmRaw = new Dictionary<int, List<double>>();
    for (var i = 0; i < 4; i++)
    {
        foreach (var workers in new[] { 1, 2, 4, 8 })
            (warmRaw.TryGetValue(workers, out var runs) ? runs : warmRaw[workers] = new List<double>()).Add(Timed(() => RawPosting(portal.WebhookUrl, leads, workers)));
        Module();
        Timed(() => LibraryPosting(portal.WebhookUrl, leads, "library "));
        Timed(() => SdkPosting(portal.WebhookUrl, leads, 4));
        session.Run(portal.ClearLog);
    }
    var rawWorkers = warmRaw.OrderBy(p => Median(p.Value)).First().Key;
    Console.WriteLine($"Warm-up medians of raw posting: {string.Join(", ", warmRaw.Select(p => $"{p.Key} in flight {Median(p.Value):0.00} s"))}; the baseline posts with {rawWorkers} in flight.");

    // Then rounds, each a module run and a raw run back to back (a pair), then the context rows. This
    // machine's speed drifts by tens of percent from minute to minute (other load on the host), so the
    // figure that counts is the median of the pairs' ratios: each compares two runs made within seconds.
    const int rounds = 11;
    var raw = new List<double>();
    var module = new List<double>();
    var pairs = new List<double>();
    var sdk = new List<double>();
    var library = new List<double>();
    var sameSession = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        // The order within a pair alternates, so neither side always runs on a portal fresh from the other.
        if (round % 2 == 1) raw.Add(Timed(() => RawPosting(portal.WebhookUrl, leads, rawWorkers)));
        module.Add(Module());
        var (requests, refused, _) = portal.Stats();
        if (requests != leads / 50 || refused != 0) Console.WriteLine($"  (module run made {requests} requests, {refused} refused)");
        if (round % 2 == 0) raw.Add(Timed(() => RawPosting(portal.WebhookUrl, leads, rawWorkers)));
        pairs.Add(raw[^1] / module[^1]);
        library.Add(Timed(() => LibraryPosting(portal.WebhookUrl, leads, "library ")));
        sdk.Add(Timed(() => SdkPosting(portal.WebhookUrl, leads, 4)));
        sameSession.Add(session.Run(portal.ClearLog).Seconds);
    }
    void Row(string name, List<double> runs) =>
        Console.WriteLine($"| {name}, no limit (best / median of {rounds}) | {leads} | {leads / 50} | {runs.Min():0.00} / {Median(runs):0.00} | | | {leads / 50} | 0 | {leads / Median(runs):0} |");
    Row($"raw batched HTTP posting, {rawWorkers} in flight", raw);
    Row("module (Set-B24Lead pipeline), fresh session", module);
    Row("for context: module in one session connected once", sameSession);
    Row("for context: the client library alone, driven as Set-B24Lead drives it, no PowerShell", library);
    Row("for context: posting that builds each body and parses each answer with Json.NET (as an SDK does), 4 in flight", sdk);
    Console.WriteLine();
    Console.WriteLine($"Module throughput = {Median(pairs):P1} of raw posting ({rawWorkers} in flight): the median of {rounds} back-to-back pairs " +
                      $"(pairs: {string.Join(", ", pairs.Select(p => p.ToString("P0")))}). Best against best {raw.Min() / module.Min():P1}, median against median {Median(raw) / Median(module):P1}.");
    Console.WriteLine($"Module runs: {string.Join(", ", module.Select(m => m.ToString("0.00")))} s; raw runs: {string.Join(", ", raw.Select(m => m.ToString("0.00")))} s.");
    Console.WriteLine($"For context, median against raw's median: module in one session {Median(raw) / Median(sameSession):P1}, client library alone {Median(raw) / Median(library):P1}, " +
                      $"SDK-style posting {Median(raw) / Median(sdk):P1}; the module reaches {Median(sdk) / Median(module):P1} of SDK-style posting.");
}

static double Median(List<double> values)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

/// The portal process: "serve" prints its webhook address, then answers "clear" and "stats" on stdin.
void Serve(int leads)
{
    var portal = NewPortal(leads);
    // Counters only (requests, refusals, serving time): no call log, as a real portal keeps none the
    // client pays for. Recording made the portal's garbage collections its pace and its noise.
    portal.RecordCalls = Environment.GetEnvironmentVariable("BENCH_PORTAL_LOG") == "1";
    using var server = new EmulatorServer(portal);
    Console.WriteLine(server.WebhookUrl);
    string? line;
    while ((line = Console.ReadLine()) != null)
    {
        if (line == "clear") { portal.ClearLog(); Console.WriteLine("ok"); }
        else if (line == "stats") Console.WriteLine($"{portal.HttpRequestCount} {portal.RateLimitedCount} {portal.HandlingTime.Ticks} {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}/{GC.GetTotalPauseDuration().TotalMilliseconds:0}");
    }
}

// The module's own cost, with no server at all: every batch of updates is answered at once from a
// canned answer (the emulator's answer to the first such batch), so what is timed is the cmdlet, the
// client and their parsing. This is the figure the module can be made faster on.
void ClientOnly(int leads)
{
    var portal = NewPortal(leads);
    var handler = new CannedUpdates(portal.CreateHandler());
    using var allocations = Environment.GetEnvironmentVariable("BENCH_ALLOC") == "1" ? new AllocationListener() : null;
    // BENCH_SESSION=1: all rounds in one runspace imported and connected once (a console's steady state).
    var oneSession = Environment.GetEnvironmentVariable("BENCH_SESSION") == "1";
    Runspace? kept = null;
    for (var round = 0; round < (oneSession ? 10 : 6); round++)
    {
        var fresh = kept == null;
        var runspace = kept ?? RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        if (fresh)
        {
            runspace.ThreadOptions = PSThreadOptions.UseCurrentThread;
            runspace.Open();
            if (oneSession) kept = runspace;
        }
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        if (fresh)
        {
            // A connection per session (a kept session keeps its first one, as a console does).
            var connection = Bitrix24.Rest.Connections.Bitrix24Connection.FromWebhook("https://bench.bitrix24.invalid/rest/1/benchSecret/", handler);
            connection.RateLimit = 100000;
            connection.Burst = 100000;
            runspace.SessionStateProxy.SetVariable("connection", connection);
            ps.AddScript($"Import-Module '{module}'; Get-B24LeadField -Connection $connection | Out-Null");
            ps.Invoke();
        }
        var items = Enumerable.Range(1, leads).Select(id => (object)new Hashtable { ["ID"] = id, ["TITLE"] = "updated " + id, ["STATUS_ID"] = "IN_PROCESS" }).ToArray();
        runspace.SessionStateProxy.SetVariable("items", items);
        ps.Commands.Clear();
        ps.AddScript(Environment.GetEnvironmentVariable("BENCH_SCRIPT") ?? "$items | Set-B24Lead -Connection $connection");
        Heap.Settle();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var gcs = GC.CollectionCount(0);
        var paused = GC.GetTotalPauseDuration();
        var allocated = GC.GetTotalAllocatedBytes(true);
        allocations?.ByType.Clear();
        var threads = ThreadTimes.Read();
        var clock = Stopwatch.StartNew();
        ps.Invoke();
        clock.Stop();
        if (ShowCpu) ThreadTimes.Print(threads, ThreadTimes.Read());
        paused = GC.GetTotalPauseDuration() - paused;
        allocated = GC.GetTotalAllocatedBytes(true) - allocated;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        if (allocations != null && round == (oneSession ? 9 : 5))
        {
            foreach (var pair in allocations.ByType.OrderByDescending(p => p.Value).Take(25)) Console.WriteLine($"    {pair.Value / 1024,8} KB  {pair.Key}");
        }
        allocations?.ByType.Clear();
        Console.WriteLine($"| module alone (canned answers, no server), round {round + 1} | {leads} | {leads / 50} | {clock.Elapsed.TotalSeconds:0.00} | | | {handler.Requests} | 0 | {leads / clock.Elapsed.TotalSeconds:0} |");
        Console.WriteLine($"  CPU {cpuSeconds:0.00} s = {cpuSeconds * 1e6 / leads:0.0} µs per lead, gen0 GCs {GC.CollectionCount(0) - gcs} (gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}), GC pauses {paused.TotalMilliseconds:0} ms, {allocated / leads} bytes allocated per lead, errors {ps.Streams.Error.Count}");
        handler.Requests = 0;
        if (!oneSession) runspace.Dispose();
    }
    kept?.Dispose();
}

void Pieces(int leads)
{
    var portal = NewPortal(leads);
    var connection = Bitrix24.Rest.Connections.Bitrix24Connection.FromWebhook("https://bench.bitrix24.invalid/rest/1/benchSecret/", portal.CreateHandler());
    var schema = Bitrix24.Rest.Crm.Leads.LeadSchema.GetAsync(connection.Client, default, null).Result;
    var client = new Bitrix24.Rest.Crm.Leads.LeadsClient(connection.Client);
    byte[] answer = null!;
    // Ten rounds; the fastest of each stage is printed at the end (the machine's other load only slows a round).
    double bestPatch = double.MaxValue, bestEncode = double.MaxValue, bestParse = double.MaxValue;
    for (var round = 0; round < 10; round++)
    {
        var gc0 = GC.CollectionCount(0); var a0 = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var commands = new List<BulkCommand>();
        for (var id = 1; id <= leads; id++)
        {
            var patch = new Bitrix24.Rest.Crm.Leads.LeadPatch(id) { Schema = schema };
            patch.Set("TITLE", "updated " + id).Set("STATUS_ID", "IN_PROCESS");
            commands.Add(client.UpdateCommand(patch));
        }
        var t1 = clock.Elapsed.TotalMilliseconds; var a1 = GC.GetAllocatedBytesForCurrentThread();
        // Encoding and reading as a bulk run does them: the body written as text, the answer read from its bytes.
        var bodies = new List<byte[]>();
        var items = new BatchItem[50];
        for (var i = 0; i < commands.Count; i += 50)
        {
            for (var j = 0; j < 50; j++) items[j] = commands[i + j].ToBatchItem("c" + j);
            bodies.Add(Encoding.UTF8.GetBytes(BatchEncoding.BatchBody(items)));
        }
        var t2 = clock.Elapsed.TotalMilliseconds; var a2 = GC.GetAllocatedBytesForCurrentThread();
        if (answer == null)
        {
            var r = portal.CreateHandler();
            using var http = new HttpClient(r);
            answer = http.PostAsync("https://bench.bitrix24.invalid/rest/1/benchSecret/batch", new ByteArrayContent(bodies[0]) { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") } }).Result.Content.ReadAsByteArrayAsync().Result;
            Console.WriteLine($"answer: {answer.Length} bytes, body {bodies[0].Length} bytes");
        }
        var t3 = clock.Elapsed.TotalMilliseconds; var a3 = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < bodies.Count; i++)
            if (BatchAnswer.ReadReply(Bitrix24.Rest.Transport.JsonText.ParseEnvelope(Encoding.UTF8.GetString(answer), true)["result"], items).Results.Count != items.Length) throw new Exception("The answer was not read.");
        var t4 = clock.Elapsed.TotalMilliseconds; var a4 = GC.GetAllocatedBytesForCurrentThread();
        Console.WriteLine($"bytes/lead: patch+command {(a1 - a0) / leads}, encode {(a2 - a1) / leads}, parse {(a4 - a3) / leads}");
        Console.WriteLine($"patch+command {t1 * 1000 / leads:0.0} µs/lead, encode {(t2 - t1) * 1000 / leads:0.0} µs/lead, parse {(t4 - t3) * 1000 / leads:0.0} µs/lead, gen0 {GC.CollectionCount(0) - gc0}");
        bestPatch = Math.Min(bestPatch, t1 * 1000 / leads);
        bestEncode = Math.Min(bestEncode, (t2 - t1) * 1000 / leads);
        bestParse = Math.Min(bestParse, (t4 - t3) * 1000 / leads);
    }
    Console.WriteLine($"fastest of 10 rounds: patch+command {bestPatch:0.00} µs/lead, encode {bestEncode:0.00} µs/lead, parse {bestParse:0.00} µs/lead");
}

EmulatedPortal NewPortal(int leads)
{
    var portal = new EmulatedPortal("benchSecret");
    portal.AddLeads(leads, i => new JObject { ["TITLE"] = "lead " + i, ["STATUS_ID"] = "NEW" });
    portal.ClearLog();
    return portal;
}

(double Seconds, int Errors) RunModule(EmulatorServer server, int leads, string connectOptions) =>
    RunModuleAt(server.WebhookUrl, server.Portal.ClearLog, leads, connectOptions);

(double Seconds, int Errors) RunModuleAt(string webhookUrl, Action clearLog, int leads, string connectOptions)
{
    // A session of its own, as a script started anew has.
    using var session = new ModuleSession(module, webhookUrl, leads, connectOptions, "updated ");
    return session.Run(clearLog);
}


/// <summary>A batch body of crm.lead.update commands for leads start…start+49, built as a C# client would.</summary>
static string RawBody(int start, int leads)
{
    var cmd = new JObject();
    for (var id = start; id < start + 50 && id <= leads; id++)
        cmd["c" + (id - start)] = BatchEncoding.EncodeCommand("crm.lead.update", new JObject
        {
            ["id"] = id,
            ["fields"] = new JObject { ["TITLE"] = "raw " + id, ["STATUS_ID"] = "IN_PROCESS" },
        });
    return new JObject { ["halt"] = 0, ["cmd"] = cmd }.ToString(Formatting.None);
}

// For context: the module's client library alone (Bitrix24.Rest: checked patches, commands, BulkRunner's
// pacing, batches, in-flight limit and answer reading), driven as Set-B24Lead drives it (one command
// made and queued per lead, waiting while enough is queued), but without PowerShell. It tells the
// library's share of the gap from PowerShell's.
double LibraryPosting(string webhookUrl, int leads, string titlePrefix)
{
    var connection = Bitrix24.Rest.Connections.Bitrix24Connection.FromWebhook(webhookUrl);
    connection.RateLimit = 100000;
    connection.Burst = 100000;
    var client = new Bitrix24.Rest.Crm.Leads.LeadsClient(connection.Client);
    using var runner = new BulkRunner(connection.Client, default, null);
    var failed = 0;
    void Drain() { while (runner.TryTakeOutcome(out var outcome)) if (!outcome.Succeeded) failed++; }
    Heap.Settle();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var gcs = GC.CollectionCount(0);
    var paused = GC.GetTotalPauseDuration();
    var clock = Stopwatch.StartNew();
    for (var id = 1; id <= leads; id++)
    {
        runner.Add(client.UpdateCommand(new Bitrix24.Rest.Crm.Leads.LeadPatch(id).Set("TITLE", titlePrefix + id).Set("STATUS_ID", "IN_PROCESS")));
        Drain();
        while (runner.HasEnoughQueued) { runner.WaitForActivity(TimeSpan.FromMilliseconds(200)); Drain(); }
    }
    runner.Flush();
    while (runner.Finished < runner.Added) { runner.WaitForActivity(TimeSpan.FromMilliseconds(200)); Drain(); }
    var seconds = clock.Elapsed.TotalSeconds;
    Drain();
    if (ShowCpu)
        Console.WriteLine($"  library run: wall {seconds:0.00} s, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} s, gen0 GCs {GC.CollectionCount(0) - gcs}, GC pauses {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:0} ms, {runner.Requests} requests");
    if (failed > 0) Console.WriteLine($"  ({failed} commands failed in the library run)");
    return seconds;
}

// Not the target's baseline, for context: what a plain C# client (an SDK) does for each batch: build
// the body from the lead data when sending, parse the answer with Json.NET and look for failed commands.
double SdkPosting(string webhookUrl, int leads, int workers)
{
    var uri = new Uri(webhookUrl + "batch");
    using var http = new HttpClient();
    var next = -1;
    var failed = 0;
    Heap.Settle();
    var clock = Stopwatch.StartNew();
    Task.WaitAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
    {
        int index;
        while ((index = System.Threading.Interlocked.Increment(ref next)) * 50 < leads)
        {
            using var response = await http.PostAsync(uri, new StringContent(RawBody(index * 50 + 1, leads), Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            var answer = JObject.Parse(await response.Content.ReadAsStringAsync());
            if (answer["result"]?["result_error"] is JObject errors && errors.Count > 0) System.Threading.Interlocked.Add(ref failed, errors.Count);
        }
    })).ToArray());
    if (failed > 0) Console.WriteLine($"  ({failed} commands failed in SDK-style posting)");
    return clock.Elapsed.TotalSeconds;
}

double RawPosting(string webhookUrl, int leads, int workers)
{
    var uri = new Uri(webhookUrl + "batch");
    var bodies = new List<string>();
    for (var start = 1; start <= leads; start += 50) bodies.Add(RawBody(start, leads));
    using var http = new HttpClient();
    var next = -1;
    Heap.Settle();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var gcs = GC.CollectionCount(0);
    var paused = GC.GetTotalPauseDuration();
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
    if (ShowCpu)
        Console.WriteLine($"  raw run ({workers} in flight): wall {clock.Elapsed.TotalSeconds:0.00} s, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} s, gen0 GCs {GC.CollectionCount(0) - gcs}, GC pauses {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:0} ms");
    return clock.Elapsed.TotalSeconds;
}

/// <summary>A PowerShell session with the module imported and connected, as a user has it: fresh for one
/// run, or kept open across runs like a console.</summary>
sealed class ModuleSession : IDisposable
{
    private static readonly bool ShowCpu = Environment.GetEnvironmentVariable("BENCH_CPU") == "1";
    private readonly Runspace _runspace;
    private readonly int _leads;
    private readonly string _titlePrefix;

    public ModuleSession(string module, string webhookUrl, int leads, string connectOptions, string titlePrefix)
    {
        _leads = leads;
        _titlePrefix = titlePrefix;
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        // The pipeline runs on this thread (not a new one per run), so its CPU time can be read per thread.
        _runspace.ThreadOptions = PSThreadOptions.UseCurrentThread;
        _runspace.Open();
        // As a user does: connect, which reads the portal's field schema once.
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript($"Import-Module '{module}'; Connect-Bitrix24 -WebhookUrl '{webhookUrl}' {connectOptions}");
        ps.Invoke();
        if (ps.HadErrors) throw new Exception(string.Join("; ", ps.Streams.Error));
    }

    /// <summary>One timed `$items | Set-B24Lead`: the wall time and the errors it wrote.</summary>
    public (double Seconds, int Errors) Run(Action clearLog)
    {
        // The pause lets the bucket drain the connect's request (the run starts with the full burst), and
        // every timed run, raw or module, starts after the portal has been idle for a second.
        System.Threading.Thread.Sleep(1000);
        clearLog();
        // The input is made before the clock starts: what is timed is Set-B24Lead's work.
        var items = Enumerable.Range(1, _leads).Select(id => (object)new Hashtable { ["ID"] = id, ["TITLE"] = _titlePrefix + id, ["STATUS_ID"] = "IN_PROCESS" }).ToArray();
        _runspace.SessionStateProxy.SetVariable("items", items);
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript("$items | Set-B24Lead");
        Heap.Settle();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var gcs = GC.CollectionCount(0);
        var paused = GC.GetTotalPauseDuration();
        var threads = ThreadTimes.Read();
        using var jitted = Environment.GetEnvironmentVariable("BENCH_JIT") == "1" ? new JitListener() : null;
        var clock = Stopwatch.StartNew();
        ps.Invoke();
        clock.Stop();
        jitted?.Print();
        if (ShowCpu)
        {
            ThreadTimes.Print(threads, ThreadTimes.Read());
            Console.WriteLine($"  module run: wall {clock.Elapsed.TotalSeconds:0.00} s, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} s, gen0 GCs {GC.CollectionCount(0) - gcs}, GC pauses {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:0} ms");
        }
        return (clock.Elapsed.TotalSeconds, ps.Streams.Error.Count);
    }

    public void Dispose() => _runspace.Dispose();
}

static class Heap
{
    private static readonly bool Off = Environment.GetEnvironmentVariable("BENCH_SETTLE") == "0";

    /// <summary>
    /// Collects before a timed run, so what was made before the clock (the 20,000 input hashtables, the
    /// raw bodies) is promoted before it too: otherwise the run's first collections copy the input into
    /// the older generations, and the input's cost is charged to whatever is timed (25-90 ms of pauses
    /// per module run). Every timed path does it. BENCH_SETTLE=0 turns it off (the method of the previous release).
    /// </summary>
    public static void Settle()
    {
        if (Off) return;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}

static class ThreadTimes
{
    /// <summary>CPU time of each of this process's threads so far (Linux: /proc/self/task), by thread id.</summary>
    public static Dictionary<string, (string Name, long Ticks)> Read()
    {
        var result = new Dictionary<string, (string, long)>();
        if (!Directory.Exists("/proc/self/task")) return result;
        foreach (var dir in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                var fields = stat.Substring(close + 2).Split(' ');
                result[Path.GetFileName(dir)] = (stat.Substring(open + 1, close - open - 1), long.Parse(fields[11]) + long.Parse(fields[12]));
            }
            catch (IOException) { }   // the thread ended meanwhile
        }
        return result;
    }

    /// <summary>CPU per kind of thread between two readings (in clock ticks of 10 ms: a coarse, honest split).</summary>
    public static void Print(Dictionary<string, (string Name, long Ticks)> before, Dictionary<string, (string Name, long Ticks)> after)
    {
        foreach (var kind in after.Select(p => (p.Value.Name, Ticks: p.Value.Ticks - (before.TryGetValue(p.Key, out var b) ? b.Ticks : 0)))
                                  .Where(t => t.Ticks > 0).GroupBy(t => t.Name))
            Console.WriteLine($"    threads '{kind.Key}': {kind.Count()}, {kind.Sum(t => t.Ticks) * 10} ms");
    }
}

/// <summary>Answers every batch of crm.lead.update commands with the emulator's answer to the first one.</summary>
sealed class CannedUpdates : DelegatingHandler
{
    private byte[]? _answer;
    public int Requests;
    public CannedUpdates(HttpMessageHandler portal) : base(portal) { }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, System.Threading.CancellationToken cancel)
    {
        var body = request.Content == null ? "" : await request.Content.ReadAsStringAsync(cancel);
        if (!request.RequestUri!.AbsolutePath.EndsWith("/batch") || !body.Contains("crm.lead.update"))
            return await base.SendAsync(request, cancel);
        Requests++;
        if (_answer == null)
        {
            var response = await base.SendAsync(request, cancel);
            _answer = await response.Content.ReadAsByteArrayAsync(cancel);
        }
        return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent(_answer) { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") } } };
    }
}

sealed class AllocationListener : System.Diagnostics.Tracing.EventListener
{
    public readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> ByType = new();
    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
    }
    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName != "GCAllocationTick_V4" || e.Payload == null) return;
        var type = e.Payload[e.PayloadNames!.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount")]);
        ByType.AddOrUpdate(type, amount, (_, v) => v + amount);
    }
}

/// <summary>The emulated portal in a child process (this program with "serve"), reached over loopback.</summary>
sealed class PortalProcess : IDisposable
{
    private readonly Process _process;
    public string WebhookUrl { get; }

    public PortalProcess(int leads)
    {
        // BENCH_PORTAL_CPUS=1 runs the portal on CPU 1 only (Linux taskset), e.g. with this program
        // started as `taskset -c 0 …`: each side then has a core of its own, as on two machines.
        var cpus = Environment.GetEnvironmentVariable("BENCH_PORTAL_CPUS");
        var start = new ProcessStartInfo(cpus != null ? "taskset" : "dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (cpus != null) { start.ArgumentList.Add("-c"); start.ArgumentList.Add(cpus); start.ArgumentList.Add("dotnet"); }
        // BENCH_PORTAL_GEN0 (bytes, hex): the portal's gen0 budget (DOTNET_GCgen0size), for the portal only.
        var gen0 = Environment.GetEnvironmentVariable("BENCH_PORTAL_GEN0");
        if (gen0 != null) start.Environment["DOTNET_GCgen0size"] = gen0;
        start.ArgumentList.Add(typeof(PortalProcess).Assembly.Location);
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--leads");
        start.ArgumentList.Add(leads.ToString());
        _process = Process.Start(start)!;
        // The table header the child prints first, then its address.
        string? line;
        while ((line = _process.StandardOutput.ReadLine()) != null && !line.StartsWith("http")) { }
        WebhookUrl = line ?? throw new Exception("The portal process did not start.");
    }

    /// <summary>The portal process's CPU time so far.</summary>
    public TimeSpan Cpu { get { _process.Refresh(); return _process.TotalProcessorTime; } }

    public void ClearLog()
    {
        _process.StandardInput.WriteLine("clear");
        _process.StandardOutput.ReadLine();
    }

    public string LastGc = "";
    /// <summary>Requests since the last clear, how many were refused, and how long the portal spent serving them.</summary>
    public (int Requests, int Refused, TimeSpan Serving) Stats()
    {
        _process.StandardInput.WriteLine("stats");
        var parts = _process.StandardOutput.ReadLine()!.Split(' ');
        LastGc = parts.Length > 3 ? parts[3] : "";
        return (int.Parse(parts[0]), int.Parse(parts[1]), TimeSpan.FromTicks(long.Parse(parts[2])));
    }

    public void Dispose()
    {
        _process.StandardInput.Close();   // the child ends when its input does
        if (!_process.WaitForExit(5000)) _process.Kill();
        _process.Dispose();
    }
}

/// <summary>BENCH_JIT=1: what the JIT compiles during a timed run (methods loaded, by namespace).</summary>
sealed class JitListener : System.Diagnostics.Tracing.EventListener
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _byKind = new();
    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x10);
    }
    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName == null || !e.EventName.StartsWith("MethodLoadVerbose") || e.Payload == null) return;
        string Field(string name) { var i = e.PayloadNames!.IndexOf(name); return i < 0 ? "" : Convert.ToString(e.Payload[i]) ?? ""; }
        var ns = Field("MethodNamespace");
        var cut = ns.IndexOf('`'); if (cut > 0) ns = ns.Substring(0, cut);
        var parts = ns.Split('.');
        // The event carries no tier, so a method compiled again at a higher tier counts again.
        var key = string.Join('.', parts.Take(3));
        _byKind.AddOrUpdate(key, 1, (_, n) => n + 1);
    }
    public void Print()
    {
        foreach (var pair in _byKind.OrderByDescending(p => p.Value).Take(15)) Console.WriteLine($"    jitted {pair.Value,5}  {pair.Key}");
    }
}
