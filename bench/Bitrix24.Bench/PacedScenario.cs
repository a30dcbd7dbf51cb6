// paced, latency: the module under a told 2/s, burst-50 bucket, instant or 500 ms answers.
static partial class Scenarios
{
    internal static void Paced(string name, int leads, TimeSpan latency)
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
}
