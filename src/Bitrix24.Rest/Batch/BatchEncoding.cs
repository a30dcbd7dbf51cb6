using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Batch
{
    /// <summary>
    /// Parameters that write themselves into a batch command, as the text after <c>method?</c> that
    /// <see cref="BatchEncoding.EncodeCommand"/> makes of <see cref="ToParameters"/>, without building that
    /// JSON object: a bulk run sends one per lead, and the object is most of what a lead's update costs.
    /// </summary>
    public interface IBatchQuery
    {
        /// <summary>The same parameters as a JSON object (for a plain call).</summary>
        JObject ToParameters();
        /// <summary>Appends the <c>name=value</c> pairs; <paramref name="empty"/> is the query's length before
        /// the first (a pair after it is preceded by '&amp;'). Use <see cref="BatchEncoding.AppendParameter"/>.</summary>
        void AppendQuery(StringBuilder query, int empty);
    }

    /// <summary>
    /// Encodes one call as a batch command string, <c>method?fields[TITLE]=x&amp;fields[PHONE][0][VALUE]=%2B7…</c>.
    /// The portal reads it as PHP's parse_str does (settings/how-to-call-rest-api/batch.md): brackets make arrays and
    /// every value is percent-decoded, so values are percent-encoded (a literal '+' must travel as %2B or it becomes
    /// a space); true/false go as 1/0 and a null as an empty value.
    /// </summary>
    public static class BatchEncoding
    {
        public static string EncodeCommand(string method, JObject parameters)
        {
            if (parameters == null || !parameters.HasValues) return method;
            // One builder kept per thread: a bulk run encodes a command for every lead.
            var query = _query ?? (_query = new StringBuilder(256));
            query.Clear();
            AppendCommand(query, method, parameters);
            var command = query.ToString();
            if (query.Capacity > 16 * 1024) _query = null;   // do not keep a huge one (a long COMMENTS) alive
            return command;
        }

        /// <summary>Appends the command as <see cref="EncodeCommand"/> makes it, without a string of its own.</summary>
        public static void AppendCommand(StringBuilder query, string method, JObject parameters)
        {
            query.Append(method);
            if (parameters == null) return;
            query.Append('?');
            var empty = query.Length;
            var path = _path ?? (_path = new PathSegment[8]);
            for (var property = (JProperty)parameters.First; property != null; property = (JProperty)property.Next)
            {
                path[0] = new PathSegment(property.Name, 0);
                Flatten(query, property.Value, ref path, 1, empty);
            }
            _path = path;   // kept, grown if a deep value needed it
            if (query.Length == empty) query.Length = empty - 1;   // nothing to pass: the bare method name
        }

        /// <summary>Appends one parameter as <see cref="AppendCommand"/> writes it: <c>name=value</c>, or one
        /// pair per scalar of an object or array (<c>fields[PHONE][0][VALUE]=…</c>).</summary>
        public static void AppendParameter(StringBuilder query, string name, JToken value, int empty)
        {
            var path = _path ?? (_path = new PathSegment[8]);
            path[0] = new PathSegment(name, 0);
            Flatten(query, value, ref path, 1, empty);
            _path = path;
        }

        /// <summary>Appends one member of an object parameter, <c>name[member]=value</c>, as <see cref="AppendParameter(StringBuilder, string, JToken, int)"/>
        /// writes it for the object that holds it: the object's members one by one, without building it.</summary>
        public static void AppendParameter(StringBuilder query, string name, string member, JToken value, int empty)
        {
            var path = _path ?? (_path = new PathSegment[8]);
            path[0] = new PathSegment(name, 0);
            path[1] = new PathSegment(member, 0);
            Flatten(query, value, ref path, 2, empty);
            _path = path;
        }

        /// <summary>
        /// The body of a batch call, <c>{"halt":0,"cmd":{"c0":"crm.lead.update?id=1&amp;…",…}}</c>, written with
        /// Json.NET's writer; each command is its method and query string (<see cref="AppendCommand"/>). An OAuth
        /// call's token goes last, as <c>auth</c>.
        /// </summary>
        public static string BatchBody(IReadOnlyList<BatchItem> items, string auth = null)
        {
            var text = new System.IO.StringWriter(new StringBuilder(8192), CultureInfo.InvariantCulture);
            using (var writer = new JsonTextWriter(text) { Formatting = Formatting.None })
            {
                writer.WriteStartObject();
                writer.WritePropertyName("halt");
                writer.WriteValue(0);
                writer.WritePropertyName("cmd");
                writer.WriteStartObject();
                var command = new StringBuilder(256);
                foreach (var item in items)
                {
                    command.Clear().Append(item.Method);
                    if (item.Query != null)
                    {
                        command.Append('?');
                        item.Query.AppendQuery(command, command.Length);
                        if (command[command.Length - 1] == '?') command.Length--;   // nothing to pass: the bare method name
                    }
                    else
                    {
                        command.Clear();
                        AppendCommand(command, item.Method, item.Parameters);
                    }
                    writer.WritePropertyName(item.Name);
                    writer.WriteValue(command.ToString());
                }
                writer.WriteEndObject();
                if (auth != null)
                {
                    writer.WritePropertyName("auth");
                    writer.WriteValue(auth);
                }
                writer.WriteEndObject();
            }
            return text.ToString();
        }

        /// <summary>A reference the batch method resolves in any command's values, as it travels encoded.</summary>
        private static readonly System.Text.RegularExpressions.Regex EncodedReference = new System.Text.RegularExpressions.Regex(
            "%24(result|next|total|time|error)%5B", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>
        /// True when a value of the command holds text that the batch method reads as a reference to another
        /// command's answer (<c>$result[…]</c>, <c>$next[…]</c>, <c>$total[…]</c>, <c>$time[…]</c>,
        /// <c>$error[…]</c>) and rewrites before the method sees it. Such a command must go as a plain call.
        /// </summary>
        public static bool CarriesReference(BatchItem item)
        {
            var text = _scan ?? (_scan = new StringBuilder(256));
            text.Clear();
            if (item.Query != null) item.Query.AppendQuery(text, 0);
            else if (item.Parameters != null) AppendCommand(text, item.Method, item.Parameters);
            for (var i = 0; i + 2 < text.Length; i++)
                if (text[i] == '%' && text[i + 1] == '2' && text[i + 2] == '4') return EncodedReference.IsMatch(text.ToString());
            return false;
        }

        [ThreadStatic] private static StringBuilder _query;
        [ThreadStatic] private static StringBuilder _scan;
        [ThreadStatic] private static PathSegment[] _path;

        /// <summary>One step of a value's key: a property name, or (Name null) an array index.</summary>
        private struct PathSegment
        {
            public PathSegment(string name, int index) { Name = name; Index = index; }
            public readonly string Name;
            public readonly int Index;
        }

        /// <summary>
        /// Writes <c>key=value</c> for every scalar under <paramref name="value"/>, the key being the path to
        /// it: <c>fields[PHONE][0][VALUE]</c>. The path is kept as steps and written out for each scalar
        /// (names are short): no key string or builder per value.
        /// </summary>
        private static void Flatten(StringBuilder query, JToken value, ref PathSegment[] path, int depth, int empty)
        {
            if (depth >= path.Length) Array.Resize(ref path, path.Length * 2);
            switch (value)
            {
                case JObject obj:
                    for (var property = (JProperty)obj.First; property != null; property = (JProperty)property.Next)
                    {
                        path[depth] = new PathSegment(property.Name, 0);
                        Flatten(query, property.Value, ref path, depth + 1, empty);
                    }
                    break;
                case JArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        path[depth] = new PathSegment(null, i);
                        Flatten(query, array[i], ref path, depth + 1, empty);
                    }
                    break;
                default:
                    if (query.Length > empty) query.Append('&');
                    AppendEscaped(query, path[0].Name);
                    for (var step = 1; step < depth; step++)
                    {
                        query.Append('[');
                        if (path[step].Name != null) AppendEscaped(query, path[step].Name);
                        else query.Append(path[step].Index);
                        query.Append(']');
                    }
                    query.Append('=');
                    AppendScalar(query, (JValue)value);
                    break;
            }
        }

        private static void AppendScalar(StringBuilder query, JValue value)
        {
            switch (value.Type)
            {
                case JTokenType.Null:
                case JTokenType.Undefined: return;
                // parse_str reads 1/0 (what http_build_query writes for true/false).
                case JTokenType.Boolean: query.Append((bool)value ? '1' : '0'); return;
                // Digits straight in; a negative number's sign would follow the current culture there.
                case JTokenType.Integer when value.Value is long number && number >= 0: query.Append(number); return;
                case JTokenType.Integer when value.Value is int number && number >= 0: query.Append(number); return;
                case JTokenType.String: AppendEscaped(query, (string)value.Value); return;
                case JTokenType.Float: AppendEscaped(query, Convert.ToString(value.Value, CultureInfo.InvariantCulture)); return;
                case JTokenType.Date: AppendEscaped(query, ((DateTime)value).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)); return;
                default: AppendEscaped(query, Convert.ToString(value.Value, CultureInfo.InvariantCulture)); return;
            }
        }

        private const string Hex = "0123456789ABCDEF";

        /// <summary>
        /// Appends <paramref name="text"/> percent-encoded as RFC 3986 and Uri.EscapeDataString do: letters,
        /// digits and - . _ ~ stay, everything else is its UTF-8 bytes as %XX ('+' becomes %2B, a space
        /// %20; PHP decodes both). Written here rather than calling Uri.EscapeDataString so that no string is
        /// made per value (a bulk run encodes every field of every record); a test holds the two equal.
        /// </summary>
        internal static void AppendEscaped(StringBuilder query, string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~')
                {
                    query.Append(c);
                }
                else if (c < 0x80)
                {
                    AppendByte(query, c);
                }
                else if (c < 0x800)
                {
                    AppendByte(query, 0xC0 | (c >> 6));
                    AppendByte(query, 0x80 | (c & 0x3F));
                }
                else if (char.IsSurrogate(c))
                {
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        var code = char.ConvertToUtf32(c, text[++i]);
                        AppendByte(query, 0xF0 | (code >> 18));
                        AppendByte(query, 0x80 | ((code >> 12) & 0x3F));
                        AppendByte(query, 0x80 | ((code >> 6) & 0x3F));
                        AppendByte(query, 0x80 | (code & 0x3F));
                    }
                    else
                    {
                        // A lone surrogate is no character: UTF-8 writes U+FFFD in its place, and so does this.
                        AppendByte(query, 0xEF);
                        AppendByte(query, 0xBF);
                        AppendByte(query, 0xBD);
                    }
                }
                else
                {
                    AppendByte(query, 0xE0 | (c >> 12));
                    AppendByte(query, 0x80 | ((c >> 6) & 0x3F));
                    AppendByte(query, 0x80 | (c & 0x3F));
                }
            }
        }

        private static void AppendByte(StringBuilder query, int b) => query.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
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

        /// <summary>One command's answer from its entries in the batch sections (each may be missing):
        /// an error is an object with error / error_description.</summary>
        internal static BatchCommandResult From(string name, JToken result, JToken total, JToken next, JToken error)
        {
            var failure = error as JObject;
            return new BatchCommandResult(
                name,
                result,
                Transport.Bitrix24Response.ReadInt(total),
                Transport.Bitrix24Response.ReadInt(next),
                failure == null ? null : (string)failure["error"] ?? "",
                failure == null ? null : (string)failure["error_description"] ?? "");
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
                answer[name] = BatchCommandResult.From(name, results?[name], totals?[name], nexts?[name], errors?[name]);
            return answer;
        }

        /// <summary>A batch call's answer for <paramref name="items"/>, in their order, with the operating-budget
        /// figures of each command's time block (anything but a number counts as 0).</summary>
        public static BatchReply ReadReply(JToken batchResult, IReadOnlyList<BatchItem> items)
        {
            var answers = Read(batchResult, items.Select(i => i.Name));
            var times = new List<(int, double, double)>();
            if (Section(batchResult, "result_time") is JObject blocks)
                foreach (var block in blocks.Properties())
                {
                    var index = IndexOf(items, block.Name);
                    if (index >= 0 && block.Value is JObject time)
                        times.Add((index, NumberOrZero(time["operating"]), NumberOrZero(time["operating_reset_at"])));
                }
            return new BatchReply(items.Select(i => answers[i.Name]).ToArray(), times);
        }

        private static int IndexOf(IReadOnlyList<BatchItem> items, string name)
        {
            for (var i = 0; i < items.Count; i++)
                if (items[i].Name == name) return i;
            return -1;
        }

        /// <summary>A timing figure; anything but a number (missing, null, text) counts as 0 rather than
        /// failing the call whose result has already arrived.</summary>
        internal static double NumberOrZero(JToken value) =>
            value != null && (value.Type == JTokenType.Integer || value.Type == JTokenType.Float) ? (double)value : 0;

        private static JObject Section(JToken batchResult, string name) => batchResult?[name] as JObject;
    }
}
