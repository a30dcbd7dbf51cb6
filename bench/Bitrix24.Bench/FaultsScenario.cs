// faults: bulk updates and adds while the portal answers 10 % of requests with 500 and drops 5 % of connections
// (half before applying the call, half after): every edit must end applied exactly once.
static partial class Scenarios
{
    internal static void Faults(int leads)
    {
        var portal = new EmulatedPortal("benchSecret");
        portal.AddLeads(leads, i => new JObject { ["TITLE"] = "lead " + i, ["STATUS_ID"] = "NEW" });
        using var server = new EmulatorServer(portal);
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.ThreadOptions = PSThreadOptions.UseCurrentThread;
        runspace.Open();
        RunCounted(runspace, $"Import-Module '{Module}'; Connect-Bitrix24 -WebhookUrl '{server.WebhookUrl}' -RateLimit 1000 -Burst 1000 -MaximumRetryCount 10 -RetryIntervalSec 0.05");
        portal.ClearLog();
        portal.Faults = new FaultPlan { ServerErrorRate = 0.10, DropRate = 0.05, Seed = 7 };
        var before = portal.LeadCount;

        var rows = Enumerable.Range(1, leads).Select(id => (object)new Hashtable { ["ID"] = id, ["TITLE"] = "faulty " + id }).ToArray();
        runspace.SessionStateProxy.SetVariable("rows", rows);
        var clock = Stopwatch.StartNew();
        var updateErrors = RunCounted(runspace, "$rows | Set-B24Lead");
        var updateSeconds = clock.Elapsed.TotalSeconds;
        var wrong = Enumerable.Range(1, leads).Count(id => (string)portal.GetLead(id)["TITLE"] != "faulty " + id);
        Console.WriteLine("| faults (10 % 500s, 5 % drops) | records | wall s | HTTP requests | 500s | drops | errors | result |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"| update | {leads} | {updateSeconds:0.00} | {portal.HttpRequestCount} | {portal.InjectedServerErrors} | {portal.DroppedConnections} | {updateErrors} | {leads - wrong} of {leads} with the new title |");

        // Adds, without and with ORIGIN_ID: only with it can the module look for what a dropped call may have made.
        foreach (var withOrigin in new[] { false, true })
        {
            var adds = leads / 4;
            var label = withOrigin ? "with ORIGIN_ID" : "no ORIGIN_ID";
            var newRows = Enumerable.Range(1, adds).Select(i => (object)(withOrigin
                ? new Hashtable { ["TITLE"] = $"new {label} {i}", ["ORIGIN_ID"] = "bench-" + i }
                : new Hashtable { ["TITLE"] = $"new {label} {i}" })).ToArray();
            runspace.SessionStateProxy.SetVariable("newRows", newRows);
            portal.ClearLog();
            var errorsBefore = portal.InjectedServerErrors;
            var dropsBefore = portal.DroppedConnections;
            clock.Restart();
            var addErrors = RunCounted(runspace, "$newRows | New-B24Lead -IdOnly | Out-Null");
            var addSeconds = clock.Elapsed.TotalSeconds;
            var titles = new List<string>();
            for (var id = 1; id <= portal.LeadCount + 1000; id++)
            {
                try { if ((string)portal.GetLead(id)?["TITLE"] is string t && t.StartsWith($"new {label} ")) titles.Add(t); } catch (Exception) { }
            }
            Console.WriteLine($"| add, {label} | {adds} | {addSeconds:0.00} | {portal.HttpRequestCount} | {portal.InjectedServerErrors - errorsBefore} | {portal.DroppedConnections - dropsBefore} | {addErrors} | {titles.Count} made, {titles.Distinct().Count()} distinct |");
        }
    }

    private static int RunCounted(Runspace runspace, string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        ps.Invoke();
        foreach (var error in ps.Streams.Error.Take(3)) Console.WriteLine("  error: " + error);
        return ps.Streams.Error.Count;
    }
}
