/// <summary>
/// Bulk updates against a paced portal, each reported against the minimum the portal really allows:
/// told its limits, not told them (the module learns them), and sharing the portal with another client
/// that spends a fixed part of the budget. One row per run; `pacing` runs them all.
/// </summary>
static class PacingScenarios
{
    public static void RunAll(string module)
    {
        // BENCH_WARM=1: one untimed run first (same process, its own portal), so the first row is not charged the JIT.
        if (Environment.GetEnvironmentVariable("BENCH_WARM") == "1") { Told(module, 1000, 5, 10); Console.WriteLine("  (the row above warmed up)"); }
        if (Environment.GetEnvironmentVariable("BENCH_PACING") is string only)
        {
            // One case at a time, to read its story with BENCH_VERBOSE=1.
            if (only == "told") Told(module, 2000, 5, 10);
            if (only == "latency") Told(module, 2000, 5, 10, latency: TimeSpan.FromMilliseconds(500));
            if (only == "untold") Untold(module, 2000, 5, 10);
            if (only == "shared" || only == "shared-told") Shared(module, 2000, 5, 10, 2, true);
            if (only == "shared" || only == "shared-untold") Shared(module, 2000, 5, 10, 2, false);
            return;
        }
        Told(module, 2000, 5, 10);
        Told(module, 2000, 5, 10, latency: TimeSpan.FromMilliseconds(500));
        Untold(module, 2000, 5, 10);
        Untold(module, 5000, 2, 50);
        Untold(module, 20000, 5, 250);
        Shared(module, 2000, 5, 10, otherPerSecond: 2, told: true);
        Shared(module, 2000, 5, 10, otherPerSecond: 2, told: false);
    }

    public static void Told(string module, int leads, double rate, int burst, TimeSpan latency = default) =>
        Run(module, $"told {rate}/s burst {burst}" + (latency > TimeSpan.Zero ? $", {latency.TotalMilliseconds:0} ms answers" : ""),
            leads, rate, burst, latency, $"-RateLimit {rate} -Burst {burst}", 0);

    public static void Untold(string module, int leads, double rate, int burst) =>
        Run(module, $"not told ({rate}/s burst {burst})", leads, rate, burst, TimeSpan.Zero, "", 0);

    public static void Shared(string module, int leads, double rate, int burst, double otherPerSecond, bool told) =>
        Run(module, $"{(told ? "told" : "not told")} {rate}/s burst {burst}, another client {otherPerSecond}/s", leads, rate, burst,
            TimeSpan.Zero, told ? $"-RateLimit {rate} -Burst {burst}" : "", otherPerSecond);

    private static void Run(string module, string name, int leads, double rate, int burst, TimeSpan latency, string connectOptions, double otherPerSecond)
    {
        var portal = new EmulatedPortal("benchSecret");
        portal.AddLeads(leads, i => new JObject { ["TITLE"] = "lead " + i, ["STATUS_ID"] = "NEW" });
        portal.Limits = new PortalLimits { RequestsPerSecond = rate, Burst = burst };
        portal.Latency = latency;
        using var server = new EmulatorServer(portal);
        using var session = new ModuleSession(module, server.WebhookUrl, leads, connectOptions, "paced ");
        using var stopOther = new CancellationTokenSource();
        var counts = new OtherCounts();
        var other = otherPerSecond > 0 ? OtherClient(server.WebhookUrl, otherPerSecond, counts, stopOther.Token) : Task.CompletedTask;
        // The other client's counts start with the portal's, when the timed run does.
        var (wall, errors) = session.Run(() => { portal.ClearLog(); counts.Reset(); });
        var (otherRequests, otherRefused) = counts.Read();
        stopOther.Cancel();
        other.GetAwaiter().GetResult();

        var calls = (int)Math.Ceiling(leads / 50.0);
        // The least time the portal allows this client: its burst at once, the rest at the rate left to it, and
        // the last answer's own time (no client has it sooner).
        var minimum = Math.Max(0, calls - burst) / (rate - otherPerSecond) + latency.TotalSeconds;
        var refused = portal.RateLimitedCount - otherRefused;
        var requests = portal.HttpRequestCount - otherRequests;
        var edits = Enumerable.Range(1, leads).Count(id => (string)portal.GetLead(id)["TITLE"] == "paced " + id);
        Console.WriteLine($"| {name} | {leads} | {calls} | {wall:0.00} | {minimum:0.00} | {wall / minimum:0.000} | {requests} | {refused} ({100.0 * refused / Math.Max(1, requests):0.0} %) | {edits} of {leads} applied, {errors} errors |");
    }

    /// <summary>Another client of the same portal: a plain call at a fixed rate that it gets through.</summary>
    private static async Task OtherClient(string webhookUrl, double perSecond, OtherCounts counts, CancellationToken stop)
    {
        using var http = new HttpClient();
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var next = DateTime.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            // Like any client, it sends a refused call again (after 100 ms) until the portal takes it.
            bool refused;
            do
            {
                using var answer = await http.PostAsync(webhookUrl + "crm.status.list", new StringContent("{}", Encoding.UTF8, "application/json"));
                refused = (int)answer.StatusCode == 503;
                counts.Add(refused);
                if (refused) { try { await Task.Delay(100, stop); } catch (OperationCanceledException) { return; } }
            } while (refused && !stop.IsCancellationRequested);
            next += interval;
            var wait = next - DateTime.UtcNow;
            if (wait > TimeSpan.Zero) { try { await Task.Delay(wait, stop); } catch (OperationCanceledException) { } }
        }
    }

    private sealed class OtherCounts
    {
        private int _requests, _refused;
        public void Add(bool refused) { lock (this) { _requests++; if (refused) _refused++; } }
        public void Reset() { lock (this) { _requests = 0; _refused = 0; } }
        public (int Requests, int Refused) Read() { lock (this) return (_requests, _refused); }
    }
}
