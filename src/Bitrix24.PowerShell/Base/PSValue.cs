using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>Turns what PowerShell hands over (PSObjects, switches, custom objects) into plain .NET
    /// values for Bitrix24.Rest, and JSON into objects PowerShell shows well.</summary>
    internal static class PSValue
    {
        public static object Unwrap(object value)
        {
            switch (value)
            {
                case null: return null;
                case PSObject ps when ps.BaseObject is PSCustomObject: return PropertiesOf(ps);
                case PSObject ps: return Unwrap(ps.BaseObject);
                case SwitchParameter sw: return sw.IsPresent;
                case string _: return value;
                case IDictionary dictionary:
                    // Kept in the caller's order: an [ordered] -Order or batch cmd means that order.
                    var copy = new OrderedDictionary(dictionary.Count, StringComparer.OrdinalIgnoreCase);
                    foreach (DictionaryEntry pair in dictionary) copy[pair.Key] = Unwrap(pair.Value);
                    return copy;
                case IEnumerable list: return list.Cast<object>().Select(Unwrap).ToArray();
                default: return value;
            }
        }

        /// <summary>The properties of a custom object (a CSV row) as a case-insensitive dictionary, in their order.</summary>
        public static OrderedDictionary PropertiesOf(PSObject ps)
        {
            var table = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            foreach (var property in ps.Properties)
                if (property.IsGettable) table[property.Name] = Unwrap(property.Value);
            return table;
        }

        /// <summary>Any PowerShell value as JSON (for Invoke-B24Method parameters).</summary>
        public static JToken ToJson(object value)
        {
            value = Unwrap(value);
            switch (value)
            {
                case null: return JValue.CreateNull();
                case string s: return new JValue(s);
                case DateTime d: return new JValue(d.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
                case DateTimeOffset o: return new JValue(o.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
                case IDictionary dictionary:
                    var obj = new JObject();
                    foreach (DictionaryEntry pair in dictionary) obj[Convert.ToString(pair.Key, CultureInfo.InvariantCulture)] = ToJson(pair.Value);
                    return obj;
                case IEnumerable list: return new JArray(list.Cast<object>().Select(ToJson).ToArray());
                case bool _:
                case int _:
                case long _:
                case double _:
                case decimal _:
                case float _:
                    return new JValue(value);
                default:
                    return JToken.FromObject(value);
            }
        }

        /// <summary>JSON as PowerShell objects: objects become PSCustomObjects, arrays object[].</summary>
        public static object FromJson(JToken token)
        {
            switch (token)
            {
                case null: return null;
                case JObject obj:
                    var ps = new PSObject();
                    foreach (var property in obj.Properties()) ps.Properties.Add(new PSNoteProperty(property.Name, FromJson(property.Value)));
                    return ps;
                case JArray array: return array.Select(FromJson).ToArray();
                case JValue value: return value.Value;
                default: return token.ToString();
            }
        }

        public static IEnumerable<KeyValuePair<string, object>> Pairs(IDictionary dictionary)
        {
            foreach (DictionaryEntry pair in dictionary)
                yield return new KeyValuePair<string, object>(Convert.ToString(pair.Key, CultureInfo.InvariantCulture), pair.Value);
        }
    }
}
