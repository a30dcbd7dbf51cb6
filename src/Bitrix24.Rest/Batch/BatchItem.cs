using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Batch
{
    /// <summary>One command of a batch call: the name its answer comes back under, the method and its parameters.</summary>
    public readonly struct BatchItem
    {
        public BatchItem(string name, string method, JObject parameters, IBatchQuery query = null)
        {
            Name = name;
            Method = method;
            Parameters = parameters;
            Query = query;
        }

        public string Name { get; }
        public string Method { get; }
        public JObject Parameters { get; }
        /// <summary>When set, the parameters write themselves into the command (and <see cref="Parameters"/> is not used).</summary>
        public IBatchQuery Query { get; }

        /// <summary>The commands of a batch call's own parameters (<c>cmd</c>: name → "method?query"), by name and method.</summary>
        public static IReadOnlyList<BatchItem> FromCommands(JObject batchParameters)
        {
            var items = new List<BatchItem>();
            if (batchParameters?["cmd"] is JObject commands)
                foreach (var command in commands.Properties())
                {
                    var text = command.Value.ToString();
                    var query = text.IndexOf('?');
                    items.Add(new BatchItem(command.Name, (query < 0 ? text : text.Substring(0, query)).Trim(), null));
                }
            return items;
        }

        /// <summary>The methods the commands call, each once: the operating budget a batch spends is theirs, not the batch's.</summary>
        public static IList<string> MethodsOf(IEnumerable<BatchItem> items)
        {
            var methods = new List<string>();
            foreach (var item in items)
            {
                var method = item.Method.Trim();
                if (method.Length > 0 && !methods.Exists(m => string.Equals(m, method, StringComparison.OrdinalIgnoreCase))) methods.Add(method);
            }
            return methods;
        }
    }

    /// <summary>A batch call's answer: each command's result or error, in the order of the commands, and
    /// the operating-budget figures of each command's time block, in the order the portal gave them.</summary>
    public sealed class BatchReply
    {
        internal BatchReply(BatchCommandResult[] results, List<(int Index, double Operating, double ResetAt)> times)
        {
            Results = results;
            Times = times;
        }

        /// <summary>Aligned with the commands sent: <c>Results[i]</c> is the answer to command <c>i</c>.</summary>
        public IReadOnlyList<BatchCommandResult> Results { get; }
        internal List<(int Index, double Operating, double ResetAt)> Times { get; }
    }
}
