using System;
using System.Collections.Generic;

namespace Bitrix24.Rest.Connections
{
    /// <summary>The values of a connection that must never be shown, and the scrubbing of text that might hold them.</summary>
    internal sealed class SecretSet
    {
        private readonly List<string> _secrets = new List<string>();

        /// <summary>Adds <paramref name="secret"/> as it is, percent-encoded (a URL) and escaped (inside a JSON string).</summary>
        public void Add(string secret)
        {
            if (string.IsNullOrEmpty(secret)) return;
            var json = Newtonsoft.Json.JsonConvert.ToString(secret);
            lock (_secrets)
                foreach (var form in new[] { secret, Uri.EscapeDataString(secret), json.Substring(1, json.Length - 2) })
                    if (!_secrets.Contains(form)) _secrets.Add(form);
        }

        /// <summary>Replaces every secret in <paramref name="text"/> with ***.</summary>
        public string Redact(string text)
        {
            if (string.IsNullOrEmpty(text)) return text;
            lock (_secrets)
                foreach (var secret in _secrets)
                    text = text.Replace(secret, "***");
            return text;
        }
    }
}
