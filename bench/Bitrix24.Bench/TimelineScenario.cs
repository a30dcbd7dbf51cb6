// timeline: a comment on 2,000 deals (Add-B24TimelineComment) under a told 5/s, burst-10 bucket.
static partial class Scenarios
{
    internal static void Timeline(int deals)
    {
        // BENCH_WARM=1: one untimed run first (same process, its own portal), to see how much of a run is first-use cost.
        if (Environment.GetEnvironmentVariable("BENCH_WARM") == "1") { Environment.SetEnvironmentVariable("BENCH_WARM", "0"); Timeline(200); Console.WriteLine("  (the run above warmed up)"); }
        var portal = new EmulatedPortal("benchSecret");
        for (var i = 1; i <= deals; i++) portal.AddRecord("deal", new JObject { ["TITLE"] = "deal " + i, ["STAGE_ID"] = "LOSE" });
        portal.Limits = new PortalLimits { RequestsPerSecond = 5, Burst = 10 };
        using var server = new EmulatorServer(portal);
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.ThreadOptions = PSThreadOptions.UseCurrentThread;
        runspace.Open();
        using (var connect = PowerShell.Create())
        {
            connect.Runspace = runspace;
            connect.AddScript($"Import-Module '{Module}'; Connect-Bitrix24 -WebhookUrl '{server.WebhookUrl}' -RateLimit 5 -Burst 10");
            connect.Invoke();
            if (connect.HadErrors) throw new Exception(string.Join("; ", connect.Streams.Error));
        }
        // The bucket drains the connect's request; the rows (as a CSV of deal ids gives them) are made before the clock.
        System.Threading.Thread.Sleep(3000);
        portal.ClearLog();
        var rows = Enumerable.Range(1, deals).Select(id => (object)new Hashtable { ["EntityType"] = "Deal", ["ID"] = id }).ToArray();
        runspace.SessionStateProxy.SetVariable("rows", rows);
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript("$rows | Add-B24TimelineComment -Text 'Closed by the Q4 cleanup'");
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        ps.Invoke();
        var wall = clock.Elapsed.TotalSeconds;
        // When the batches arrived (recorded after each is applied): where the time over the minimum goes.
        var batches = portal.CallsTo("batch").Select(c => (c.At - started).TotalSeconds).ToList();
        var calls = (int)Math.Ceiling(deals / 50.0);
        var minimum = (calls - 10) / 5.0;
        var commented = portal.TimelineComments.Where(c => (string)c["COMMENT"] == "Closed by the Q4 cleanup").Select(c => (string)c["ENTITY_ID"]).Distinct().Count();
        Console.WriteLine("| timeline | deals | batch calls | wall s | minimum s | ratio | HTTP requests | 503s | deals commented |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"| told 5/s burst 10 | {deals} | {calls} | {wall:0.00} | {minimum:0.00} | {wall / minimum:0.000} | {portal.HttpRequestCount} | {portal.RateLimitedCount} | {commented} |");
        if (batches.Count > 1)
            Console.WriteLine($"  first batch done at {batches[0]:0.00} s, tenth {batches[Math.Min(9, batches.Count - 1)]:0.00} s, last {batches[batches.Count - 1]:0.00} s; the command returned at {wall:0.00} s");
        if (ps.Streams.Error.Count > 0) Console.WriteLine($"  ({ps.Streams.Error.Count} errors: {ps.Streams.Error[0]})");
    }
}
