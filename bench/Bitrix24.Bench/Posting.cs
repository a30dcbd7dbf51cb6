// What the scenarios share: the portal, a module run, and the postings the module is compared with.
static partial class Scenarios
{
    internal static EmulatedPortal NewPortal(int leads)
    {
        var portal = new EmulatedPortal("benchSecret");
        portal.AddLeads(leads, i => new JObject { ["TITLE"] = "lead " + i, ["STATUS_ID"] = "NEW" });
        portal.ClearLog();
        return portal;
    }

    internal static (double Seconds, int Errors) RunModule(EmulatorServer server, int leads, string connectOptions) =>
        RunModuleAt(server.WebhookUrl, server.Portal.ClearLog, leads, connectOptions);

    internal static (double Seconds, int Errors) RunModuleAt(string webhookUrl, Action clearLog, int leads, string connectOptions)
    {
        // A session of its own, as a script started anew has.
        using var session = new ModuleSession(Module, webhookUrl, leads, connectOptions, "updated ");
        return session.Run(clearLog);
    }


    /// <summary>A batch body of crm.lead.update commands for leads start…start+49, built as a C# client would.</summary>
    internal static string RawBody(int start, int leads)
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
    internal static double LibraryPosting(string webhookUrl, int leads, string titlePrefix)
    {
        var connection = Bitrix24.Rest.Connections.Bitrix24Connection.FromWebhook(webhookUrl);
        connection.RateLimit = 100000;
        connection.Burst = 100000;
        var client = new Bitrix24.Rest.Crm.CrmClient(connection.Client, Bitrix24.Rest.Crm.CrmEntity.Lead);
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
            runner.Add(client.UpdateCommand(new Bitrix24.Rest.Crm.CrmPatch(Bitrix24.Rest.Crm.CrmEntity.Lead, id).Set("TITLE", titlePrefix + id).Set("STATUS_ID", "IN_PROCESS")));
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
    internal static double SdkPosting(string webhookUrl, int leads, int workers)
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

    internal static double RawPosting(string webhookUrl, int leads, int workers)
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
}
