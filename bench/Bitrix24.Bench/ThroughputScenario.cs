// throughput: no limit; the module against raw batched posting, in back-to-back pairs.
static partial class Scenarios
{
    internal static void Throughput(int leads)
    {
        // The portal runs in a process of its own, as a real one does on its own machine: the two share
        // this machine's cores but not a garbage-collected heap, so the portal's collections (its lead store
        // is large) do not pause the client and the client's do not pause the portal.
        using var portal = new PortalProcess(leads);
        // Also, for context: the module in one PowerShell session that stays open (connected once), as an
        // admin runs it at a console, besides the fresh session per run that a script started anew has.
        using var session = new ModuleSession(Path.Combine(Root, "out", "Bitrix24"), portal.WebhookUrl, leads, "-RateLimit 100000 -Burst 100000", "session ");
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

    internal static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
