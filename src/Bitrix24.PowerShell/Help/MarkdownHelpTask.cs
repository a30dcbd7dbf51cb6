// Turns the platyPS-style markdown in docs/ into the module's external help at build time:
// <cmdlet>.md -> Bitrix24.PowerShell.dll-Help.xml (MAML) and about_*.md -> about_*.help.txt.
// platyPS cannot be installed on every build machine, so the build does the conversion itself; the
// markdown stays in platyPS's schema (2.0.0) so maintainers with platyPS can use it too.
// Compiled by MSBuild's RoslynCodeTaskFactory (see Bitrix24.PowerShell.csproj), not into the module.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class MarkdownHelpTask : Task
{
    [Required] public ITaskItem[] CommandFiles { get; set; }
    public ITaskItem[] AboutFiles { get; set; }
    [Required] public string MamlFile { get; set; }
    [Required] public string OutputDirectory { get; set; }

    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public override bool Execute()
    {
        Directory.CreateDirectory(OutputDirectory);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using (var writer = XmlWriter.Create(Path.Combine(OutputDirectory, MamlFile), settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("helpItems", "http://msh");
            writer.WriteAttributeString("schema", "maml");
            foreach (var file in CommandFiles.OrderBy(f => f.ItemSpec, StringComparer.Ordinal))
            {
                try { WriteCommand(writer, File.ReadAllText(file.ItemSpec)); }
                catch (Exception ex) { Log.LogError($"{file.ItemSpec}: {ex.Message}"); }
            }
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }
        foreach (var about in AboutFiles ?? new ITaskItem[0])
        {
            var name = Path.GetFileNameWithoutExtension(about.ItemSpec);
            File.WriteAllText(Path.Combine(OutputDirectory, name + ".help.txt"), AboutText(name, File.ReadAllText(about.ItemSpec)), new UTF8Encoding(false));
        }
        return !Log.HasLoggedErrors;
    }

    // ---- markdown --------------------------------------------------------------------------------

    private sealed class Parameter
    {
        public string Name, Description, Type, Aliases, Position = "Named", Pipeline = "False", DefaultValue = "None";
        public bool Required;
        public List<string> Sets = new List<string>();
    }

    /// <summary>The "## NAME" sections of a page, in order.</summary>
    private static List<KeyValuePair<string, string>> Sections(string text)
    {
        var sections = new List<KeyValuePair<string, string>>();
        var body = Regex.Replace(text.Replace("\r\n", "\n"), @"\A---\n.*?\n---\n", "", RegexOptions.Singleline);
        var matches = Regex.Matches(body, @"^## (.+)$", RegexOptions.Multiline);
        for (var i = 0; i < matches.Count; i++)
        {
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : body.Length;
            sections.Add(new KeyValuePair<string, string>(matches[i].Groups[1].Value.Trim(), body.Substring(start, end - start).Trim('\n')));
        }
        return sections;
    }

    private static string Section(List<KeyValuePair<string, string>> sections, string name) =>
        sections.FirstOrDefault(s => s.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value ?? "";

    /// <summary>The "### title" blocks of a section.</summary>
    private static List<KeyValuePair<string, string>> Blocks(string section)
    {
        var blocks = new List<KeyValuePair<string, string>>();
        var matches = Regex.Matches(section, @"^### (.+)$", RegexOptions.Multiline);
        for (var i = 0; i < matches.Count; i++)
        {
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : section.Length;
            blocks.Add(new KeyValuePair<string, string>(matches[i].Groups[1].Value.Trim(), section.Substring(start, end - start).Trim('\n')));
        }
        return blocks;
    }

    /// <summary>The text's paragraphs; a fenced block (a file an example reads) becomes one paragraph of its lines, indented.</summary>
    private static IEnumerable<string> Paragraphs(string text)
    {
        var unfenced = Regex.Replace(text, @"```\w*\n(.*?)```", m => string.Join("\n", m.Groups[1].Value.TrimEnd('\n').Split('\n').Select(l => "    " + l)), RegexOptions.Singleline);
        return Regex.Split(unfenced.Trim(), @"\n\s*\n").Select(p => p.Trim('\n', '\r').TrimEnd()).Where(p => p.Trim().Length > 0);
    }

    private static List<Parameter> ReadParameters(string section)
    {
        var parameters = new List<Parameter>();
        foreach (var block in Blocks(section))
        {
            if (!block.Key.StartsWith("-", StringComparison.Ordinal)) continue;
            var parameter = new Parameter { Name = block.Key.Substring(1) };
            var yaml = Regex.Match(block.Value, @"```yaml\n(.*?)```", RegexOptions.Singleline);
            parameter.Description = (yaml.Success ? block.Value.Substring(0, yaml.Index) : block.Value).Trim();
            foreach (var line in yaml.Groups[1].Value.Split('\n'))
            {
                var colon = line.IndexOf(':');
                if (colon < 0) continue;
                var key = line.Substring(0, colon).Trim();
                var value = line.Substring(colon + 1).Trim();
                switch (key)
                {
                    case "Type": parameter.Type = value; break;
                    case "Parameter Sets": parameter.Sets = value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList(); break;
                    case "Aliases": parameter.Aliases = value; break;
                    case "Required": parameter.Required = value.StartsWith("True", StringComparison.OrdinalIgnoreCase); break;
                    case "Position": parameter.Position = value; break;
                    case "Default value": parameter.DefaultValue = value; break;
                    case "Accept pipeline input": parameter.Pipeline = value; break;
                }
            }
            parameters.Add(parameter);
        }
        return parameters;
    }

    // ---- MAML ------------------------------------------------------------------------------------

    private void WriteCommand(XmlWriter w, string text)
    {
        var name = Regex.Match(text, @"^# (\S+)", RegexOptions.Multiline).Groups[1].Value;
        if (name.Length == 0) throw new InvalidDataException("no '# Cmdlet-Name' heading");
        var sections = Sections(text);
        var parameters = ReadParameters(Section(sections, "PARAMETERS"));
        var dash = name.IndexOf('-');

        w.WriteStartElement("command", "command", Command);
        w.WriteAttributeString("xmlns", "maml", null, Maml);
        w.WriteAttributeString("xmlns", "dev", null, Dev);
        w.WriteStartElement("command", "details", Command);
        w.WriteElementString("command", "name", Command, name);
        w.WriteElementString("command", "verb", Command, name.Substring(0, dash));
        w.WriteElementString("command", "noun", Command, name.Substring(dash + 1));
        Description(w, Section(sections, "SYNOPSIS"));
        w.WriteEndElement();
        Description(w, Section(sections, "DESCRIPTION"));

        w.WriteStartElement("command", "syntax", Command);
        foreach (var set in Blocks(Section(sections, "SYNTAX")))
        {
            var setName = Regex.Replace(set.Key, @"\s*\(Default\)\s*$", "");
            w.WriteStartElement("command", "syntaxItem", Command);
            w.WriteElementString("maml", "name", Maml, name);
            foreach (var parameter in parameters.Where(p => p.Sets.Contains("(All)") || p.Sets.Contains(setName) || setName == "__AllParameterSets"))
                WriteParameter(w, parameter);
            w.WriteEndElement();
        }
        w.WriteEndElement();

        w.WriteStartElement("command", "parameters", Command);
        foreach (var parameter in parameters) WriteParameter(w, parameter);
        w.WriteEndElement();

        WriteTypes(w, "inputTypes", "inputType", Section(sections, "INPUTS"));
        WriteTypes(w, "returnValues", "returnValue", Section(sections, "OUTPUTS"));

        var notes = Section(sections, "NOTES");
        if (notes.Length > 0)
        {
            w.WriteStartElement("maml", "alertSet", Maml);
            w.WriteStartElement("maml", "alert", Maml);
            foreach (var para in Paragraphs(notes)) w.WriteElementString("maml", "para", Maml, para);
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteStartElement("command", "examples", Command);
        foreach (var example in Blocks(Section(sections, "EXAMPLES")))
        {
            var code = Regex.Match(example.Value, @"```\w*\n(.*?)```", RegexOptions.Singleline);
            var remarks = code.Success ? example.Value.Substring(code.Index + code.Length) : example.Value;
            w.WriteStartElement("command", "example", Command);
            w.WriteElementString("maml", "title", Maml, $"-------------------------- {example.Key} --------------------------");
            w.WriteElementString("dev", "code", Dev, code.Groups[1].Value.TrimEnd());
            w.WriteStartElement("dev", "remarks", Dev);
            foreach (var para in Paragraphs(remarks)) w.WriteElementString("maml", "para", Maml, para);
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();

        w.WriteStartElement("command", "relatedLinks", Command);
        foreach (Match link in Regex.Matches(Section(sections, "RELATED LINKS"), @"\[([^\]]+)\]\(([^)]*)\)"))
        {
            w.WriteStartElement("maml", "navigationLink", Maml);
            w.WriteElementString("maml", "linkText", Maml, link.Groups[1].Value);
            w.WriteElementString("maml", "uri", Maml, link.Groups[2].Value.StartsWith("http", StringComparison.Ordinal) ? link.Groups[2].Value : "");
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void Description(XmlWriter w, string text)
    {
        w.WriteStartElement("maml", "description", Maml);
        foreach (var para in Paragraphs(text)) w.WriteElementString("maml", "para", Maml, para);
        w.WriteEndElement();
    }

    private static void WriteParameter(XmlWriter w, Parameter p)
    {
        var isSwitch = p.Type == "SwitchParameter";
        w.WriteStartElement("command", "parameter", Command);
        w.WriteAttributeString("required", p.Required ? "true" : "false");
        w.WriteAttributeString("variableLength", (p.Type ?? "").EndsWith("[]", StringComparison.Ordinal) ? "true" : "false");
        w.WriteAttributeString("globbing", "false");
        w.WriteAttributeString("pipelineInput", p.Pipeline);
        w.WriteAttributeString("position", p.Position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : p.Position);
        w.WriteAttributeString("aliases", string.IsNullOrEmpty(p.Aliases) ? "none" : p.Aliases);
        w.WriteElementString("maml", "name", Maml, p.Name);
        Description(w, p.Description);
        if (!isSwitch)
        {
            w.WriteStartElement("command", "parameterValue", Command);
            w.WriteAttributeString("required", "true");
            w.WriteAttributeString("variableLength", "false");
            w.WriteString(p.Type ?? "Object");
            w.WriteEndElement();
        }
        w.WriteStartElement("dev", "type", Dev);
        w.WriteElementString("maml", "name", Maml, p.Type ?? "Object");
        w.WriteElementString("maml", "uri", Maml, "");
        w.WriteEndElement();
        w.WriteElementString("dev", "defaultValue", Dev, isSwitch && p.DefaultValue == "None" ? "False" : p.DefaultValue);
        w.WriteEndElement();
    }

    private static void WriteTypes(XmlWriter w, string listElement, string itemElement, string section)
    {
        w.WriteStartElement("command", listElement, Command);
        foreach (var block in Blocks(section))
        {
            w.WriteStartElement("command", itemElement, Command);
            w.WriteStartElement("dev", "type", Dev);
            w.WriteElementString("maml", "name", Maml, block.Key);
            w.WriteEndElement();
            Description(w, block.Value);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    // ---- about topics ----------------------------------------------------------------------------

    /// <summary>An about_ page as the plain text Get-Help shows: headings in capitals, text indented.</summary>
    private static string AboutText(string name, string markdown)
    {
        var text = new StringBuilder();
        text.AppendLine("TOPIC").AppendLine("    " + name).AppendLine();
        var skipTitle = 0;
        foreach (var raw in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (skipTitle < 2 && (line == "# " + name || line == "## " + name)) { skipTitle++; continue; }
            if (line.StartsWith("# ", StringComparison.Ordinal)) text.AppendLine(line.Substring(2).ToUpperInvariant());
            else if (line.StartsWith("## ", StringComparison.Ordinal)) text.AppendLine("  " + line.Substring(3).ToUpperInvariant());
            else text.AppendLine(line.Length == 0 ? "" : "    " + line);
        }
        return text.ToString();
    }
}
