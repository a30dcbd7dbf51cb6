using System;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Emulator.Server
{
    /// <summary>
    /// What a test in another process (Pester in pwsh) needs of the portal it talks to: the call log,
    /// counters, limits, latency, faults and data. Served under <c>/_emulator/</c>, beside the REST
    /// endpoint; a real portal has no such path, and the module never calls it.
    /// </summary>
    public static class ControlApi
    {
        public const string Prefix = "/_emulator";

        public static (int Status, string Json) Handle(EmulatedPortal portal, string command, string body)
        {
            var input = string.IsNullOrWhiteSpace(body) ? new JObject() : JObject.Parse(body);
            try
            {
                return (200, Run(portal, command.Trim('/'), input).ToString(Formatting.None));
            }
            catch (Exception ex) when (ex is ArgumentException || ex is JsonException || ex is InvalidCastException)
            {
                return (400, new JObject { ["error"] = ex.Message }.ToString(Formatting.None));
            }
        }

        private static JToken Run(EmulatedPortal portal, string command, JObject input)
        {
            switch (command)
            {
                case "calls":
                    return new JArray(portal.Calls.Select(c => new JObject
                    {
                        ["method"] = c.Method, ["viaBatch"] = c.ViaBatch, ["httpStatus"] = c.HttpStatus,
                        ["error"] = c.ErrorDescription, ["parameters"] = c.Parameters, ["rawBody"] = c.RawBody,
                    }));
                case "stats":
                    return new JObject
                    {
                        ["requests"] = portal.HttpRequestCount, ["rateLimited"] = portal.RateLimitedCount,
                        ["leads"] = portal.LeadCount, ["serverErrors"] = portal.InjectedServerErrors,
                    };
                case "clear":
                    portal.ClearLog();
                    return true;
                case "configure":
                    if (input["rate"] != null)
                        portal.Limits = new PortalLimits
                        {
                            RequestsPerSecond = input["rate"].Type == JTokenType.Null ? (double?)null : (double)input["rate"],
                            Burst = (int?)input["burst"] ?? 50,
                        };
                    if (input["latencyMs"] != null) portal.Latency = TimeSpan.FromMilliseconds((double)input["latencyMs"]);
                    return true;
                case "fail":
                    portal.FailNext((int)input["status"], (string)input["code"] ?? "", (string)input["description"] ?? "", (int?)input["count"] ?? 1);
                    return true;
                case "add-leads":
                case "add-records":
                    var entity = (string)input["entity"] ?? "lead";
                    var count = (int?)input["count"] ?? 1;
                    var fields = input["fields"] as JObject ?? new JObject();
                    if (input["firstId"] != null) portal.SkipRecordIdsTo(entity, (int)input["firstId"]);
                    var ids = new JArray();
                    for (var i = 0; i < count; i++)
                    {
                        var record = (JObject)fields.DeepClone();
                        var titleField = entity == "contact" ? "NAME" : "TITLE";
                        if (record[titleField] == null) record[titleField] = char.ToUpperInvariant(entity[0]) + entity.Substring(1) + " " + (portal.RecordCount(entity) + 1);
                        ids.Add(portal.AddRecord(entity, record));
                    }
                    return ids;
                case "record":
                    return (JToken)portal.GetRecord((string)input["entity"] ?? "lead", (int)input["id"]) ?? JValue.CreateNull();
                case "product-rows":
                    return portal.GetProductRows((int)input["id"]);
                case "oauth-issue":
                    portal.OAuth.RegisterClient((string)input["clientId"], (string)input["clientSecret"]);
                    var (access, refresh) = portal.OAuth.IssueTokens();
                    return new JObject { ["accessToken"] = access, ["refreshToken"] = refresh };
                case "oauth-expire":
                    portal.OAuth.ExpireAccessTokens();
                    return true;
                case "lead":
                    return (JToken)portal.GetLead((int)input["id"]) ?? JValue.CreateNull();
                default:
                    throw new ArgumentException($"Unknown control command '{command}'.");
            }
        }
    }
}
