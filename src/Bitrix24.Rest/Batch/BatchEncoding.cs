using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Batch
{
    /// <summary>
    /// Encodes one call as a batch command string, <c>method?fields[TITLE]=x&amp;fields[PHONE][0][VALUE]=%2B7…</c>,
    /// built like PHP's http_build_query: the portal decodes it the PHP way, so every value is
    /// percent-encoded (a literal '+' must travel as %2B or it becomes a space).
    /// </summary>
    public static class BatchEncoding
    {
        public static string EncodeCommand(string method, JObject parameters)
        {
            if (parameters == null || !parameters.HasValues) return method;
            // One builder for the whole command and one for the key path, kept per thread: a bulk run
            // encodes a command for every lead, so no string per key level or per pair.
            var query = _query ?? (_query = new StringBuilder(256));
            var key = _key ?? (_key = new StringBuilder(64));
            query.Clear().Append(method).Append('?');
            var empty = query.Length;
            for (var property = (JProperty)parameters.First; property != null; property = (JProperty)property.Next)
            {
                key.Clear().Append(Escape(property.Name));
                Flatten(key, property.Value, query, empty);
            }
            var command = query.Length == empty ? method : query.ToString();
            if (query.Capacity > 16 * 1024) _query = null;   // do not keep a huge one (a long COMMENTS) alive
            return command;
        }

        [ThreadStatic] private static StringBuilder _query;
        [ThreadStatic] private static StringBuilder _key;

        private static void Flatten(StringBuilder key, JToken value, StringBuilder query, int empty)
        {
            var mark = key.Length;
            switch (value)
            {
                case JObject obj:
                    for (var property = (JProperty)obj.First; property != null; property = (JProperty)property.Next)
                    {
                        key.Append('[').Append(Escape(property.Name)).Append(']');
                        Flatten(key, property.Value, query, empty);
                        key.Length = mark;
                    }
                    break;
                case JArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        key.Append('[').Append(i.ToString(CultureInfo.InvariantCulture)).Append(']');
                        Flatten(key, array[i], query, empty);
                        key.Length = mark;
                    }
                    break;
                default:
                    if (query.Length > empty) query.Append('&');
                    query.Append(key).Append('=').Append(Escape(Scalar((JValue)value)));
                    break;
            }
        }

        private static string Scalar(JValue value)
        {
            switch (value.Type)
            {
                case JTokenType.Null:
                case JTokenType.Undefined: return "";
                // http_build_query writes true/false as 1/0.
                case JTokenType.Boolean: return (bool)value ? "1" : "0";
                case JTokenType.Float: return Convert.ToString(value.Value, CultureInfo.InvariantCulture);
                case JTokenType.Date: return ((DateTime)value).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                default: return Convert.ToString(value.Value, CultureInfo.InvariantCulture);
            }
        }

        /// <summary>RFC 3986 percent-encoding; '+' becomes %2B, spaces %20 (PHP decodes both).</summary>
        internal static string Escape(string text)
        {
            // Uri.EscapeDataString has a length limit on old frameworks: encode in chunks.
            const int chunk = 30000;
            if (text.Length <= chunk) return Uri.EscapeDataString(text);
            var builder = new StringBuilder();
            var start = 0;
            while (start < text.Length)
            {
                var length = Math.Min(chunk, text.Length - start);
                if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1])) length--;
                builder.Append(Uri.EscapeDataString(text.Substring(start, length)));
                start += length;
            }
            return builder.ToString();
        }
    }

    /// <summary>What the portal answered for one command of a batch.</summary>
    public sealed class BatchCommandResult
    {
        public BatchCommandResult(string name, JToken result, int? total, int? next, string errorCode, string errorDescription)
        {
            Name = name;
            Result = result;
            Total = total;
            Next = next;
            ErrorCode = errorCode;
            ErrorDescription = errorDescription;
        }

        public string Name { get; }
        public JToken Result { get; }
        public int? Total { get; }
        public int? Next { get; }
        public string ErrorCode { get; }
        public string ErrorDescription { get; }
        public bool Failed => ErrorCode != null || ErrorDescription != null;
    }

    /// <summary>Reads a batch answer: result / result_error / result_total / result_next, each of which
    /// is an object when filled and an empty array when not (PHP's json_encode).</summary>
    public static class BatchAnswer
    {
        public static IDictionary<string, BatchCommandResult> Read(JToken batchResult, IEnumerable<string> names)
        {
            var results = Section(batchResult, "result");
            var errors = Section(batchResult, "result_error");
            var totals = Section(batchResult, "result_total");
            var nexts = Section(batchResult, "result_next");
            var answer = new Dictionary<string, BatchCommandResult>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                var error = errors?[name] as JObject;
                answer[name] = new BatchCommandResult(
                    name,
                    results?[name],
                    Transport.Bitrix24Response.ReadInt(totals?[name]),
                    Transport.Bitrix24Response.ReadInt(nexts?[name]),
                    error == null ? null : (string)error["error"] ?? "",
                    error == null ? null : (string)error["error_description"] ?? "");
            }
            return answer;
        }

        private static JObject Section(JToken batchResult, string name) => batchResult?[name] as JObject;
    }
}
