// pieces: the client library's stages alone, per lead.
static partial class Scenarios
{
    internal static void Pieces(int leads)
    {
        var portal = NewPortal(leads);
        var connection = Bitrix24.Rest.Connections.Bitrix24Connection.FromWebhook("https://bench.bitrix24.invalid/rest/1/benchSecret/", portal.CreateHandler());
        var schema = Bitrix24.Rest.Crm.CrmSchema.GetAsync(connection.Client, CrmEntity.Lead, default, null).Result;
        var client = new Bitrix24.Rest.Crm.CrmClient(connection.Client, Bitrix24.Rest.Crm.CrmEntity.Lead);
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
                var patch = new Bitrix24.Rest.Crm.CrmPatch(Bitrix24.Rest.Crm.CrmEntity.Lead, id) { Schema = schema };
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
}
