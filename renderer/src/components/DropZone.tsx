import { useState, type ReactNode } from 'react'
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components'

const useStyles = makeStyles({
  drop: {
    borderRadius: tokens.borderRadiusLarge,
    outline: '2px dashed transparent',
    outlineOffset: '4px',
  },
  active: { outline: `2px dashed ${tokens.colorBrandStroke1}` },
})

/** A region that takes dropped files and outlines itself while files hover over it. */
export function DropZone(props: { onFiles: (files: FileList) => void; children: ReactNode }) {
  const styles = useStyles()
  const [dragging, setDragging] = useState(false)
  return (
    <div
      className={mergeClasses(styles.drop, dragging && styles.active)}
      onDragOver={(e) => {
        e.preventDefault()
        setDragging(true)
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault()
        setDragging(false)
        if (e.dataTransfer.files.length > 0) props.onFiles(e.dataTransfer.files)
      }}
    >
      {props.children}
    </div>
  )
}
