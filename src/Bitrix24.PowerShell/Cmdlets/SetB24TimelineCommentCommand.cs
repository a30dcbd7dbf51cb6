using System.Management.Automation;
using Bitrix24.PowerShell.Base;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Changes the text of timeline comments (crm.timeline.comment.update), piped from Get-B24TimelineComment or by -Id.</summary>
    [Cmdlet(VerbsCommon.Set, "B24TimelineComment", SupportsShouldProcess = true)]
    public sealed class SetB24TimelineCommentCommand : B24CommentChangeCmdlet
    {
        /// <summary>The new text.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Text { get; set; }

        /// <summary>The text before (COMMENT of a piped comment), for -WhatIf.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Alias("COMMENT")]
        public string OldText { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            StartCommentBulk("Changing Bitrix24 timeline comments", "comment(s) changed");
        }

        protected override void ProcessRecord()
        {
            foreach (var id in Id)
            {
                if (OldText == Text) { WriteVerbose($"Comment {id} already says that: nothing to send."); continue; }
                var change = OldText == null ? $"Update COMMENT = '{AddB24TimelineCommentCommand.Shorten(Text)}'"
                                             : $"Update COMMENT = '{AddB24TimelineCommentCommand.Shorten(OldText)}' -> '{AddB24TimelineCommentCommand.Shorten(Text)}'";
                if (ShouldProcess(Target(id), change)) QueueBulk(Comments.UpdateCommand(id, Text, Owner));
            }
        }
    }
}
