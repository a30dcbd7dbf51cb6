using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>Converts values of custom (UF_) fields by the type the portal gives them in crm.&lt;entity&gt;.fields.</summary>
    public static class CustomFieldConverter
    {
        private static readonly Regex Money = new Regex(@"^\s*(-?\d+(?:\.\d+)?)\s*\|\s*([A-Za-z]{3})\s*$", RegexOptions.Compiled);

        public static JToken ToApi(CrmEntity entity, CrmFieldInfo field, object value)
        {
            if (field.Type == "file") return CrmFile.ToApi(entity.DisplayName(field.Name), value, null);   // CrmPatch passes its path resolver
            if (field.IsMultiple)
            {
                var values = CrmValueConverter.AsList(value).ToList();
                return new JArray(values.Select(v => (object)One(field, v)).ToArray());
            }
            if (value is System.Collections.IEnumerable list && !(value is string) && !(value is System.Collections.IDictionary))
                throw new CrmFieldException(field.Name, "takes one value; it is not a multiple field.");
            return One(field, value);
        }

        private static JToken One(CrmFieldInfo field, object value)
        {
            var name = field.Name;
            if (value == null || value is string empty && empty.Length == 0) return new JValue("");
            switch (field.Type)
            {
                case "integer":
                case "employee":
                    return new JValue(CrmValueConverter.ToWholeNumber(name, value));
                case "double":
                    return CrmValueConverter.NumberToApi(name, value);
                case "boolean":
                    return new JValue(CrmValueConverter.ToYesNo(name, value) ? 1 : 0);
                case "date":
                    return new JValue(CrmValueConverter.ToDateTime(name, value, dateOnly: true).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                case "datetime":
                    return new JValue(CrmValueConverter.ToDateTimeOffset(name, value).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
                case "enumeration":
                    return new JValue(EnumerationItem(field, value));
                case "money":
                    var text = CrmValueConverter.ScalarText(name, value);
                    var match = Money.Match(text);
                    if (!match.Success)
                        throw new CrmFieldException(name, $"is a money field: give the amount and the currency, e.g. '1500.00|USD' (not '{CrmValueConverter.Describe(value)}').");
                    return new JValue(match.Groups[1].Value + "|" + match.Groups[2].Value.ToUpperInvariant());
                default:
                    return CrmValueConverter.GenericToApi(value);
            }
        }

        /// <summary>An enumeration takes an item's id; its label is accepted too and turned into the id.</summary>
        private static string EnumerationItem(CrmFieldInfo field, object value)
        {
            var text = CrmValueConverter.ScalarText(field.Name, value).Trim();
            if (field.Items.ContainsKey(text)) return text;
            var byLabel = field.Items.FirstOrDefault(i => string.Equals(i.Value, text, StringComparison.OrdinalIgnoreCase));
            if (byLabel.Key != null) return byLabel.Key;
            var choices = string.Join(", ", field.Items.Select(i => $"{i.Key} = {i.Value}"));
            throw new CrmFieldException(field.Name, $"'{text}' is not one of its items ({choices}).");
        }
    }
}
