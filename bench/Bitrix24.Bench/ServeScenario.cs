// serve: the portal process the throughput scenario starts.
static partial class Scenarios
{
    /// The portal process: "serve" prints its webhook address, then answers "clear" and "stats" on stdin.
    internal static void Serve(int leads)
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
}
