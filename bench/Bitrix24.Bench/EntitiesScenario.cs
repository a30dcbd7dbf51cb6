// entities: each CRM entity through the same engine, under a told 5/s, burst-10 bucket (2,000 updates:
// 40 batch calls, the first 10 at once, so the minimum is 6 s) and listing 20,000 of it.
static partial class Scenarios
{
    internal static void Entities(int records, int listed)
    {
        // Item: the smart process 1032 of the emulator. "Item, cold" reads the type's schema inside the run
        // (one more request); "Item" has read it before, as the connect reads the other entities'.
        foreach (var entity in new[] { "Lead", "Deal", "Contact", "Company", "Item, cold", "Item" })
        {
            var isItem = entity.StartsWith("Item", StringComparison.Ordinal);
            var store = isItem ? "item1032" : entity;
            var noun = isItem ? "B24Item -EntityTypeId 1032" : "B24" + entity;
            var portal = new EmulatedPortal("benchSecret");
            portal.AddRecords(store, Math.Max(records, listed), i => new JObject { [entity == "Contact" ? "NAME" : "TITLE"] = entity + " " + i });
            portal.Limits = new PortalLimits { RequestsPerSecond = 5, Burst = 10 };
            using var server = new EmulatorServer(portal);
            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            Invoke(runspace, $"Import-Module '{Module}'; Connect-Bitrix24 -WebhookUrl '{server.WebhookUrl}' -RateLimit 5 -Burst 10");
            if (entity == "Item") Invoke(runspace, "$null = Get-B24ItemField -EntityTypeId 1032");
            System.Threading.Thread.Sleep(2000);   // the bucket drains the connect's request: the run starts with the full burst
            portal.ClearLog();
            runspace.SessionStateProxy.SetVariable("items", Enumerable.Range(1, records)
                .Select(id => (object)new Hashtable { ["ID"] = id, [isItem ? "comments" : "COMMENTS"] = "bench " + id }).ToArray());
            var clock = Stopwatch.StartNew();
            var errors = Invoke(runspace, $"$items | Set-{noun}");
            var wall = clock.Elapsed.TotalSeconds;
            var calls = (int)Math.Ceiling(records / 50.0);
            var minimum = Math.Max(0, calls - portal.Limits.Burst) / portal.Limits.RequestsPerSecond.Value;
            Console.WriteLine($"| {entity}: {records} updates, told 5/s burst 10 | {records} | {calls} | {wall:0.00} | {minimum:0.00} | {wall / minimum:0.000} | {portal.HttpRequestCount} | {portal.RateLimitedCount} | {records / wall:0} |");
            if (errors > 0) Console.WriteLine($"  ({errors} errors)");

            portal.Limits = new PortalLimits();
            portal.ClearLog();
            clock.Restart();
            errors = Invoke(runspace, $"$null = Get-{noun}");
            Console.WriteLine($"| {entity}: list {listed} | {listed} | - | {clock.Elapsed.TotalSeconds:0.00} | - | - | {portal.HttpRequestCount} | 0 | {listed / clock.Elapsed.TotalSeconds:0} |");
            if (errors > 0) Console.WriteLine($"  ({errors} errors)");
        }
    }

    private static int Invoke(Runspace runspace, string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script).Invoke();
        return ps.Streams.Error.Count;
    }
}
