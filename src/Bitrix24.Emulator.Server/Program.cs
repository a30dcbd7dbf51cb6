using System;
using Bitrix24.Emulator;
using Bitrix24.Emulator.Server;
using Newtonsoft.Json.Linq;

// dotnet Bitrix24.Emulator.Server.dll [--demo] [--secret S]
// Serves an emulated portal at 127.0.0.1 on a free port and prints one JSON line with its addresses.
// It stops when its standard input ends (the process that started it is gone) or after its lifetime.
var secret = "s3cr3tWebhookKey";
var at = Array.IndexOf(args, "--secret");
if (at >= 0 && at + 1 < args.Length) secret = args[at + 1];
var portal = Array.IndexOf(args, "--demo") >= 0 ? EmulatedPortal.CreateDemo(secret) : new EmulatedPortal(secret);
using var server = new EmulatorServer(portal);
Console.WriteLine(new JObject
{
    ["webhook"] = server.WebhookUrl,
    ["control"] = new Uri(server.BaseUri, ControlApi.Prefix.TrimStart('/') + "/").ToString(),
    ["pid"] = Environment.ProcessId,
}.ToString(Newtonsoft.Json.Formatting.None));
Console.Out.Flush();
var input = new System.Threading.Thread(() =>
{
    while (Console.In.ReadLine() != null) { }
    server.Dispose();
}) { IsBackground = true };
input.Start();
server.WaitForStop();
return 0;
