// client: the module alone against canned answers, no server.
static partial class Scenarios
{
    // The module's own cost, with no server at all: every batch of updates is answered at once from a
    // canned answer (the emulator's answer to the first such batch), so what is timed is the cmdlet, the
    // client and their parsing. This is the figure the module can be made faster on.
    internal static void ClientOnly(int leads)
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
                ps.AddScript($"Import-Module '{Module}'; Get-B24LeadField -Connection $connection | Out-Null");
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
}
