using System.Management.Automation;
using Bitrix24.PowerShell.Base;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Deletes timeline comments (crm.timeline.comment.delete); asks for every one (ConfirmImpact High).</summary>
    [Cmdlet(VerbsCommon.Remove, "B24TimelineComment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveB24TimelineCommentCommand : B24CommentChangeCmdlet
    {
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            StartCommentBulk("Removing Bitrix24 timeline comments", "comment(s) deleted");
        }

        protected override void ProcessRecord()
        {
            foreach (var id in Id)
                if (ShouldProcess(Target(id), "Delete")) QueueBulk(Comments.DeleteCommand(id, Owner));
        }
    }
}
