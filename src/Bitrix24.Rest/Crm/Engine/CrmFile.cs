using System;
using System.Globalization;
using System.IO;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>
    /// A file held by a CRM file field (contact PHOTO, company LOGO, file-type custom fields) as the get methods
    /// show it: the file's id and where the portal serves it. New files are sent as
    /// <c>{fileData: [name, base64]}</c> by crm.&lt;entity&gt;.add/update, and as <c>[name, base64]</c> by crm.item.*
    /// (files/how-to-upload-files.md).
    /// </summary>
    public sealed class CrmFile : IEquatable<CrmFile>
    {
        public int Id { get; private set; }
        /// <summary>The portal's page that shows the file to a signed-in user (relative to the portal).</summary>
        public string ShowUrl { get; private set; }
        /// <summary>The portal's address that serves the file's content (relative to the portal).</summary>
        public string DownloadUrl { get; private set; }

        /// <summary>The file value of a field as read, or null when the token is not one: {id, showUrl, downloadUrl} from
        /// crm.&lt;entity&gt;.get, {id, url, urlMachine} from crm.item.* (universal/object-fields.md).</summary>
        public static CrmFile Read(JToken token)
        {
            if (!(token is JObject value) || value["id"] == null) return null;
            var show = (string)value["showUrl"] ?? (string)value["url"];
            var download = (string)value["downloadUrl"] ?? (string)value["urlMachine"];
            if (show == null && download == null) return null;
            if (!int.TryParse(value["id"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)) return null;
            return new CrmFile { Id = id, ShowUrl = show, DownloadUrl = download };
        }

        /// <summary>
        /// What the classic methods take for a new file: <c>{fileData: [name, base64]}</c> from a path or a
        /// <see cref="FileInfo"/>. A relative path is resolved by <paramref name="resolvePath"/> (the shell's
        /// current location); without one, by the process's directory.
        /// </summary>
        public static JObject ToApi(string field, object value, Func<string, string> resolvePath)
        {
            string path;
            switch (value)
            {
                case FileInfo info: path = info.FullName; break;
                case string text when text.Trim().Length > 0: path = resolvePath != null ? resolvePath(text.Trim()) : Path.GetFullPath(text.Trim()); break;
                case CrmFile _:
                    throw new CrmFieldException(field, "holds the file the portal already has; to replace it, give the path of a new file.");
                default:
                    throw new CrmFieldException(field, $"is a file field: give the path of a file (or a FileInfo from Get-Item), not '{CrmValueConverter.Describe(value)}'.");
            }
            if (!File.Exists(path)) throw new CrmFieldException(field, $"there is no file at '{path}'.");
            var content = File.ReadAllBytes(path);
            if (content.Length == 0) throw new CrmFieldException(field, $"'{path}' is empty; the portal refuses an empty file.");
            return new JObject { ["fileData"] = new JArray(Path.GetFileName(path), Convert.ToBase64String(content)) };
        }

        /// <summary>A new file as -WhatIf shows it: its name and size, not its content.</summary>
        internal static string Describe(JToken value)
        {
            if (!(value is JObject upload) || !(upload["fileData"] is JArray data) || data.Count != 2) return null;
            var size = ((string)data[1]).Length / 4 * 3;
            return string.Format(CultureInfo.InvariantCulture, "new file '{0}' (about {1:N0} bytes)", (string)data[0], size);
        }

        /// <summary>The text a file becomes in a CSV export ("file 12"): the file the record holds, coming back.</summary>
        public static bool IsExportText(string text) =>
            text != null && System.Text.RegularExpressions.Regex.IsMatch(text.Trim(), @"^file \d+$");

        public bool Equals(CrmFile other) => other != null && other.Id == Id;
        public override bool Equals(object obj) => Equals(obj as CrmFile);
        public override int GetHashCode() => Id;
        public override string ToString() => "file " + Id.ToString(CultureInfo.InvariantCulture);
    }
}
