using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Emulator
{
    /// <summary>
    /// Decodes a query string the way PHP fills $_REQUEST: <c>fields[PHONE][0][VALUE]=555</c> nests,
    /// <c>+</c> is a space, <c>%2B</c> a plus. Objects whose keys are all 0..n-1 become arrays, which is
    /// how PHP code sees them too.
    /// </summary>
    public static class PhpQuery
    {
        public static JObject Parse(string query)
        {
            var root = new JObject();
            if (string.IsNullOrEmpty(query)) return root;
            foreach (var pair in query.Split('&'))
            {
                if (pair.Length == 0) continue;
                var eq = pair.IndexOf('=');
                var rawKey = Decode(eq < 0 ? pair : pair.Substring(0, eq));
                var value = eq < 0 ? "" : Decode(pair.Substring(eq + 1));
                Assign(root, SplitKey(rawKey), value);
            }
            return (JObject)Normalize(root);
        }

        public static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

        private static List<string> SplitKey(string key)
        {
            var parts = new List<string>();
            var open = key.IndexOf('[');
            if (open <= 0) { parts.Add(key); return parts; }
            parts.Add(key.Substring(0, open));
            var rest = key.Substring(open);
            while (rest.StartsWith("[", StringComparison.Ordinal))
            {
                var close = rest.IndexOf(']');
                if (close < 0) break;
                parts.Add(rest.Substring(1, close - 1));
                rest = rest.Substring(close + 1);
            }
            return parts;
        }

        private static void Assign(JObject target, List<string> path, string value)
        {
            var node = target;
            for (var i = 0; i < path.Count - 1; i++)
            {
                var key = path[i].Length == 0 ? node.Count.ToString() : path[i];
                if (!(node[key] is JObject child)) { child = new JObject(); node[key] = child; }
                node = child;
            }
            var last = path[path.Count - 1];
            node[last.Length == 0 ? node.Count.ToString() : last] = value;
        }

        private static JToken Normalize(JToken token)
        {
            if (!(token is JObject obj)) return token;
            var keys = obj.Properties().Select(p => p.Name).ToList();
            var isList = keys.Count > 0 && keys.Select((k, i) => k == i.ToString()).All(x => x);
            if (isList) return new JArray(obj.Properties().Select(p => Normalize(p.Value)));
            var result = new JObject();
            foreach (var p in obj.Properties()) result[p.Name] = Normalize(p.Value);
            return result;
        }
    }
}
