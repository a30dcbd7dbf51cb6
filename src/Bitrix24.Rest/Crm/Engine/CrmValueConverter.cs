using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>
    /// Converts between .NET values (what cmdlets, hashtables and CSV rows give) and the API's JSON
    /// values, field type by field type. The server drops values it cannot read without a word
    /// (bad dates, a phone given as a plain string), so everything is checked and shaped here.
    /// Inputs are plain .NET values: the PowerShell layer unwraps PSObjects before calling.
    /// </summary>
    public static class CrmValueConverter
    {
        public const string DefaultValueType = "WORK";

        private static readonly Dictionary<string, string[]> AllowedValueTypes = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["PHONE"] = new[] { "WORK", "MOBILE", "FAX", "HOME", "PAGER", "MAILING", "OTHER" },
            ["EMAIL"] = new[] { "WORK", "HOME", "MAILING", "OTHER" },
            ["WEB"] = new[] { "WORK", "HOME", "VK", "LIVEJOURNAL", "TWITTER", "OTHER" },
            ["IM"] = new[] { "TELEGRAM", "VK", "SKYPE", "VIBER", "BITRIX24", "OPENLINE", "IMOL", "ICQ", "MSN", "JABBER", "OTHER" },
        };

        /// <summary>The allowed VALUE_TYPE values of a multi-field, or null when any is accepted (LINK).</summary>
        public static IReadOnlyList<string> ValueTypesOf(string multiField) =>
            AllowedValueTypes.TryGetValue(multiField, out var types) ? types : null;

        /// <summary>The JSON value the update method expects for <paramref name="value"/> in <paramref name="field"/>.</summary>
        public static JToken ToApi(CrmFieldDefinition field, object value)
        {
            var name = field.ApiName;
            switch (field.Type)
            {
                case CrmFieldType.MultiField: return MultiFieldToApi(name, value);
                case CrmFieldType.IdList: return IdListToApi(name, value);
                case CrmFieldType.Other: return GenericToApi(value);
                case CrmFieldType.File: return CrmFile.ToApi(name, value, null);
            }

            if (value == null || value is string s && s.Length == 0 && field.Type != CrmFieldType.String)
                return new JValue("");   // an empty value clears the field

            switch (field.Type)
            {
                case CrmFieldType.Integer:
                case CrmFieldType.User:
                case CrmFieldType.Company:
                case CrmFieldType.Contact:
                    return new JValue(ToWholeNumber(name, value));
                case CrmFieldType.Double:
                    return NumberToApi(name, value);
                case CrmFieldType.Char:
                    return new JValue(ToYesNo(name, value) ? "Y" : "N");
                case CrmFieldType.Date:
                    return new JValue(ToDateTime(name, value, dateOnly: true).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                case CrmFieldType.DateTime:
                    return new JValue(ToDateTimeOffset(name, value).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
                case CrmFieldType.Status:
                case CrmFieldType.Currency:
                    var code = ScalarText(name, value).Trim();
                    if (code.Length == 0) return new JValue("");
                    if (HasWhiteSpace(code))
                        throw new CrmFieldException(name, $"'{code}' is not an identifier (identifiers have no spaces, e.g. NEW, IN_PROCESS).");
                    return new JValue(code);
                default:
                    return new JValue(ScalarText(name, value));
            }
        }

        // Kept out of ToApi: a lambda there would cost a closure object on every call, for every field.
        private static JArray IdListToApi(string name, object value) =>
            new JArray((value is string text ? text.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries).Select(t => (object)t.Trim()) : AsList(value))
                       .Select(v => (object)ToWholeNumber(name, v)).ToArray());

        private static bool HasWhiteSpace(string text)
        {
            foreach (var c in text)
                if (char.IsWhiteSpace(c)) return true;
            return false;
        }

        /// <summary>The typed .NET value of a field as read from the API (strings in, types out).</summary>
        public static object FromApi(CrmFieldDefinition field, JToken token)
        {
            if (field.Type == CrmFieldType.MultiField)
                return new MultiFieldList(token is JArray entries ? entries.OfType<JObject>().Select(ReadMultiFieldValue) : Enumerable.Empty<MultiFieldValue>());
            if (field.Type == CrmFieldType.IdList)
                return new CrmIdList(token is JArray ids ? ids.Select(i => ParseInt(i.ToString()) ?? 0) : Enumerable.Empty<int>());
            if (field.Type == CrmFieldType.Other) return FromGeneric(token);
            if (field.Type == CrmFieldType.File) return CrmFile.Read(token);
            if (token == null || token.Type == JTokenType.Null) return field.Type == CrmFieldType.String ? "" : null;

            var text = token.Type == JTokenType.Date
                ? ((DateTime)token).ToString("o", CultureInfo.InvariantCulture)
                : token.ToString();
            switch (field.Type)
            {
                case CrmFieldType.Integer:
                case CrmFieldType.User:
                case CrmFieldType.Company:
                case CrmFieldType.Contact:
                    return ParseInt(text);
                case CrmFieldType.Double:
                    return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var money) ? money : (decimal?)null;
                case CrmFieldType.Char:
                    return text.Length == 0 ? (bool?)null : text.Equals("Y", StringComparison.OrdinalIgnoreCase);
                case CrmFieldType.Date:
                    // The date the portal shows, whatever the offset it adds.
                    return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date.Date : (DateTime?)null;
                case CrmFieldType.DateTime:
                    return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment) ? moment.LocalDateTime : (DateTime?)null;
                default:
                    return text;
            }
        }

        private static int? ParseInt(string text) =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : (int?)null;

        private static object FromGeneric(JToken token)
        {
            switch (token)
            {
                case null: return null;
                case JValue value: return value.Value;
                case JArray array: return array.Select(FromGeneric).ToArray();
                case JObject file when CrmFile.Read(file) is CrmFile read: return read;   // a file custom field
                default: return token.ToString(Newtonsoft.Json.Formatting.None);
            }
        }

        internal static MultiFieldValue ReadMultiFieldValue(JObject entry) => new MultiFieldValue
        {
            ID = ParseInt((string)entry["ID"] ?? ""),
            VALUE_TYPE = (string)entry["VALUE_TYPE"],
            VALUE = (string)entry["VALUE"],
            TYPE_ID = (string)entry["TYPE_ID"],
        };

        // ---- multi-fields -------------------------------------------------------------------------

        /// <summary>
        /// Shapes multi-field input into the array the API needs. A plain string is one new value
        /// (VALUE_TYPE WORK). An entry with an ID changes that value; removing one needs DELETE='Y'
        /// spelled out, because the server also deletes on an empty VALUE or a bare ID, which is far
        /// too easy to do by accident.
        /// </summary>
        private static JArray MultiFieldToApi(string field, object value)
        {
            var result = new JArray();
            foreach (var item in AsList(value))
            {
                // A CSV cell as an export writes a list ("+1 555 0101 (WORK); +1 555 0102 (HOME)"): its entries, typed.
                if (item is string text && ExportedEntries(field, text) is List<Hashtable> entries)
                    foreach (var entry in entries) result.Add(MultiFieldEntry(field, entry));
                else result.Add(MultiFieldEntry(field, item));
            }
            return result;
        }

        /// <summary>The entries of a multi-field as a CSV export writes them (MultiFieldList's text: "value (TYPE); …",
        /// each TYPE one of the field's), or null when the text is not of that form (a plain value to add).</summary>
        private static List<Hashtable> ExportedEntries(string field, string text)
        {
            var allowed = ValueTypesOf(field);
            var entries = new List<Hashtable>();
            foreach (var part in text.Split(new[] { "; " }, StringSplitOptions.RemoveEmptyEntries))
            {
                var match = System.Text.RegularExpressions.Regex.Match(part.Trim(), @"^(.+) \(([A-Z0-9_]+)\)$");
                if (!match.Success || allowed != null && !allowed.Contains(match.Groups[2].Value)) return null;
                entries.Add(new Hashtable { ["VALUE"] = match.Groups[1].Value, ["VALUE_TYPE"] = match.Groups[2].Value });
            }
            return entries.Count > 0 ? entries : null;
        }

        private static JObject MultiFieldEntry(string field, object item)
        {
            string id = null, text = null, valueType = null;
            var delete = false;
            switch (item)
            {
                case null:
                    throw new CrmFieldException(field, "an empty entry was given; give a value such as '555888' or @{VALUE='555888'; VALUE_TYPE='WORK'}.");
                case string plain:
                    text = plain;
                    break;
                case MultiFieldValue typed:
                    id = typed.ID?.ToString(CultureInfo.InvariantCulture);
                    text = typed.VALUE;
                    valueType = typed.VALUE_TYPE;
                    break;
                case IDictionary dictionary:
                    foreach (DictionaryEntry pair in dictionary)
                    {
                        var key = Convert.ToString(pair.Key, CultureInfo.InvariantCulture)?.ToUpperInvariant();
                        switch (key)
                        {
                            case "ID": id = pair.Value == null ? null : ToWholeNumber(field + ".ID", pair.Value).ToString(CultureInfo.InvariantCulture); break;
                            case "VALUE": text = pair.Value == null ? null : ScalarText(field + ".VALUE", pair.Value); break;
                            case "VALUE_TYPE": valueType = pair.Value == null ? null : ScalarText(field + ".VALUE_TYPE", pair.Value); break;
                            case "DELETE": delete = pair.Value != null && ToYesNo(field + ".DELETE", pair.Value); break;
                            case "TYPE_ID": break;  // implied by the field itself
                            default:
                                throw new CrmFieldException(field, $"an entry has the key '{pair.Key}'; the keys are ID, VALUE, VALUE_TYPE and DELETE.");
                        }
                    }
                    break;
                default:
                    if (item is IConvertible) { text = ScalarText(field, item); break; }
                    throw new CrmFieldException(field, $"cannot use a {item.GetType().Name} as a value; give a string or a hashtable with VALUE and VALUE_TYPE.");
            }

            var entry = new JObject();
            if (delete)
            {
                if (id == null && string.IsNullOrWhiteSpace(text))
                    throw new CrmFieldException(field, "DELETE='Y' needs the ID or the VALUE of the value to remove.");
                // Without an ID the value is found by its text on the record before sending.
                if (id != null) entry["ID"] = id; else entry["VALUE"] = text;
                entry["DELETE"] = "Y";
                return entry;
            }
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new CrmFieldException(field, id == null
                    ? "a value is empty; give the text of the phone, e-mail or address."
                    : $"the entry with ID {id} has no VALUE, which the portal takes as 'delete'; to remove it say so with @{{ID={id}; DELETE='Y'}}.");
            }
            if (valueType != null)
            {
                valueType = valueType.Trim().ToUpperInvariant();
                var allowed = ValueTypesOf(field);
                if (allowed != null && !allowed.Contains(valueType))
                    throw new CrmFieldException(field, $"VALUE_TYPE '{valueType}' is not one of {string.Join(", ", allowed)}.");
            }
            else if (id == null)
            {
                valueType = field.Equals("IM", StringComparison.OrdinalIgnoreCase) ? "OTHER" : DefaultValueType;
            }

            if (id != null) entry["ID"] = id;
            entry["VALUE"] = text;
            if (valueType != null) entry["VALUE_TYPE"] = valueType;
            return entry;
        }

        // ---- scalars ------------------------------------------------------------------------------

        internal static IEnumerable<object> AsList(object value)
        {
            if (value == null) return Enumerable.Empty<object>();
            if (value is string || value is IDictionary || !(value is IEnumerable list)) return new[] { value };
            return list.Cast<object>();
        }

        internal static string ScalarText(string field, object value)
        {
            switch (value)
            {
                case null: return "";
                case string s: return s;
                case bool b: return b ? "Y" : "N";
                case DateTime d: return d.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
                case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
                case IConvertible c: return c.ToString(CultureInfo.InvariantCulture);
            }
            throw new CrmFieldException(field, $"expects text, not a {value.GetType().Name}.");
        }

        internal static long ToWholeNumber(string field, object value)
        {
            switch (value)
            {
                case int i: return i;
                case long l: return l;
                case short sh: return sh;
                case byte by: return by;
                case uint ui: return ui;
                case decimal m when m == decimal.Truncate(m): return (long)m;
                case double d when d == Math.Floor(d) && !double.IsInfinity(d): return (long)d;
                case string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed): return parsed;
            }
            throw new CrmFieldException(field, $"expects a whole number (an id), not '{Describe(value)}'.");
        }

        internal static JValue NumberToApi(string field, object value)
        {
            decimal number;
            switch (value)
            {
                case decimal m: number = m; break;
                case int i: number = i; break;
                case long l: number = l; break;
                case double d when !double.IsNaN(d) && !double.IsInfinity(d): number = (decimal)d; break;
                case float f when !float.IsNaN(f) && !float.IsInfinity(f): number = (decimal)f; break;
                case string s when decimal.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed): number = parsed; break;
                default: throw new CrmFieldException(field, $"expects a number such as 12500 or 99.90, not '{Describe(value)}'.");
            }
            // 12500 travels as 12500, as in the docs, not as 12500.0.
            return number == decimal.Truncate(number) && Math.Abs(number) < long.MaxValue
                ? new JValue((long)number)
                : new JValue(number);
        }

        internal static bool ToYesNo(string field, object value)
        {
            switch (value)
            {
                case bool b: return b;
                case int i when i == 0 || i == 1: return i == 1;
                case string s:
                    switch (s.Trim().ToUpperInvariant())
                    {
                        case "Y": case "YES": case "TRUE": case "1": return true;
                        case "N": case "NO": case "FALSE": case "0": return false;
                    }
                    break;
            }
            throw new CrmFieldException(field, $"expects Y or N (or $true/$false), not '{Describe(value)}'.");
        }

        internal static DateTime ToDateTime(string field, object value, bool dateOnly)
        {
            switch (value)
            {
                case DateTime d: return dateOnly ? d.Date : d;
                case DateTimeOffset o: return dateOnly ? o.Date : o.DateTime;
                // The portal's own short form first (11.11.1999, as the docs' examples write dates), then ISO and the rest.
                case string s when DateTime.TryParseExact(s.Trim(), "dd.MM.yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dotted):
                    return dotted;
                case string s when DateTime.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed):
                    return dateOnly ? parsed.Date : parsed;
            }
            throw new CrmFieldException(field, $"expects a date such as 1980-01-31, not '{Describe(value)}'.");
        }

        internal static DateTimeOffset ToDateTimeOffset(string field, object value)
        {
            switch (value)
            {
                case DateTimeOffset o: return o;
                case DateTime d: return d.Kind == DateTimeKind.Utc ? new DateTimeOffset(d) : new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Local));
                case string s when DateTimeOffset.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var parsed):
                    return parsed;
            }
            throw new CrmFieldException(field, $"expects a date and time such as 2026-01-31T09:30:00+01:00, not '{Describe(value)}'.");
        }

        internal static JToken GenericToApi(object value)
        {
            switch (value)
            {
                case null: return new JValue("");
                case string s: return new JValue(s);
                case bool b: return new JValue(b ? "Y" : "N");
                case DateTime d: return new JValue(d.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture));
                case DateTimeOffset o: return new JValue(o.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
                case decimal m: return m == decimal.Truncate(m) ? new JValue((long)m) : new JValue(m);
                case IDictionary dictionary:
                    var obj = new JObject();
                    foreach (DictionaryEntry pair in dictionary) obj[Convert.ToString(pair.Key, CultureInfo.InvariantCulture)] = GenericToApi(pair.Value);
                    return obj;
                case IEnumerable list: return new JArray(list.Cast<object>().Select(GenericToApi).ToArray());
                case MultiFieldValue multi: return JObject.FromObject(multi);
                default: return JToken.FromObject(value);
            }
        }

        internal static string Describe(object value)
        {
            var text = value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? "(null)";
            return text.Length > 60 ? text.Substring(0, 60) + "…" : text;
        }
    }
}
